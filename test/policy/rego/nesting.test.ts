/**
 * Deeply nested policies: past MAX_REGO_NESTING the parser stops with a located error (never a stack
 * overflow at 1:1); below it every kind of nesting parses, compiles and evaluates, in time linear in the text.
 */
import { describe, expect, it } from 'vitest';
import { RegoCompileError, compile } from '../../../src/policy/rego/index.ts';
import { MAX_REGO_NESTING } from '../../../src/policy/rego/syntax/cursor.ts';
import { decide, loadPolicySet } from '../../../src/policy/evaluate-decision.ts';
import { FAIL_CLOSED_RULE } from '../../../src/policy/decision.ts';
import { readExample } from '../helpers.ts';

const N = MAX_REGO_NESTING;
/** `x` nested n deep in each way a term or body can nest. */
const SHAPES: Record<string, (n: number) => string> = {
  parentheses: (n) => `x := ${'('.repeat(n)}1${')'.repeat(n)}`,
  arrays: (n) => `x := ${'['.repeat(n)}1${']'.repeat(n)}`,
  sets: (n) => `x := ${'{'.repeat(n)}1${'}'.repeat(n)}`,
  objects: (n) => `x := ${'{"a": '.repeat(n)}1${'}'.repeat(n)}`,
  calls: (n) => `x := ${'abs('.repeat(n)}1${')'.repeat(n)}`,
  refs: (n) => `a := {"1": "1"}\nx := ${'a['.repeat(n)}"1"${']'.repeat(n)}`,
  comprehensions: (n) => `x := ${'[y | y := '.repeat(n)}1${']'.repeat(n)}`,
  // Each level's collection uses the enclosing level's `v` (an unused `every` variable is a compile error, as in OPA).
  'every bodies': (n) => `x if { v := 1; ${'every v in [v] { '.repeat(n)}v == 1${' }'.repeat(n)} }`,
  operators: (n) => `x := ${'1 + 2 * ('.repeat(n)}1${')'.repeat(n)}`,
};

const module = (body: string) => [{ path: 'p.rego', text: `package unwind\n\n${body}\n` }];

function compileError(body: string): RegoCompileError {
  try {
    compile({ modules: module(body) });
  } catch (e) {
    if (e instanceof RegoCompileError) return e;
    throw e;
  }
  throw new Error('expected a compile error');
}

describe('Rego nesting limit', () => {
  it('stops 20,000 nested parentheses with "nesting too deep" at the innermost term', () => {
    const e = compileError(SHAPES.parentheses(20_000));
    // `x := ` is 5 columns; the term at nesting N+1 is the (N+1)th parenthesis.
    const col = 6 + N;
    expect(e.problems).toEqual([{ file: 'p.rego', line: 3, col, code: 'rego_parse_error', message: `nesting too deep at 3:${col} (limit ${N})` }]);
  });

  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`parses, compiles and evaluates ${name} nested ${N - 1} deep, and refuses them far deeper`, () => {
      const policy = compile({ modules: module(shape(N - 1)) });
      expect(policy.evalRef('data.unwind.x').value).toBeDefined();
      expect(compileError(shape(20 * N)).problems[0].message).toMatch(new RegExp(`^nesting too deep at \\d+:\\d+ \\(limit ${N}\\)$`));
    });
  }

  it('reads nested brackets in linear time (no re-reading after a failed comprehension)', () => {
    const started = Date.now();
    compile({ modules: module(SHAPES.arrays(200)) });
    compile({ modules: module(SHAPES.sets(200)) });
    // Each `{a: ` is read first as the head of an object comprehension, then as an object.
    compile({ modules: module(`a := 1\nx := ${'{a: '.repeat(200)}1${'}'.repeat(200)}`) });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('fails a decision closed with the located reason', async () => {
    const set = await loadPolicySet([{ path: 'p/policy.rego', content: `package unwind\n\ndecision := ${'('.repeat(20_000)}{"allow": true}${')'.repeat(20_000)}\n` }]);
    const d = decide(set, readExample('rollback-business-hours'), { now: new Date('2024-05-14T10:30:00Z') });
    expect(d.allow).toBe(false);
    expect(d.deny).toEqual([{ reason: expect.stringContaining(`p/policy.rego:3:${13 + N}: rego_parse_error: nesting too deep at 3:${13 + N} (limit ${N})`), enforcement: 'hard', rule: FAIL_CLOSED_RULE }]);
  });
});
