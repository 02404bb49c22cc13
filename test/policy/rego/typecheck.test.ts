/**
 * OPA's compile-time type checker: errors carry file:line:col and reach `unwind validate` and
 * `unwind policy test`. (What OPA rejects and accepts is pinned by cases/typecheck.yaml, filled by
 * the OPA oracle; here: locations, messages and the two CLI paths.)
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RegoCompileError, compile } from '../../../src/policy/rego/index.ts';
import { runPolicyTests } from '../../../src/policy/run-policy-tests.ts';
import { runValidate } from '../../../src/cli/commands/validate.ts';

function problemsOf(text: string, query?: string) {
  try {
    const p = compile({ modules: [{ path: 'policies/p.rego', text }] });
    if (query) p.query(query);
  } catch (e) {
    if (e instanceof RegoCompileError) return e.problems;
    throw e;
  }
  return [];
}

describe('rego type checker', () => {
  it('reports a builtin operand of the wrong type with have/want and its location', () => {
    const ps = problemsOf('package test\n\nallow if {\n  n := count(42)\n  n > 1\n}\n');
    expect(ps).toEqual([
      {
        file: 'policies/p.rego',
        line: 4,
        col: 8,
        code: 'rego_type_error',
        message: 'count: invalid argument(s)\n\thave: (number, ???)\n\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)',
      },
    ]);
  });

  it('types locals from literals and builtin results', () => {
    expect(problemsOf('package test\np if { x := 1; startswith(x, "a") }')[0].message).toBe(
      'startswith: invalid argument(s)\n\thave: (number, string)\n\twant: (search: string, base: string, result: boolean)',
    );
    expect(problemsOf('package test\np := json.marshal(1) + 1')[0].message).toMatch(/^plus: invalid argument\(s\)\n\thave: \(string, number, \?\?\?\)/);
  });

  it('accepts operands of unknown type (input, base data, partial rules)', () => {
    expect(problemsOf('package test\np := count(input.x)\nq contains 1\nr := count(q)\ns := upper(data.cfg.name)')).toEqual([]);
  });

  it('reports user function arity and rules called as functions', () => {
    expect(problemsOf('package test\nf(a, b) := a\np := f(1)').map((p) => [p.line, p.message])).toEqual([[3, 'function data.test.f has arity 2, got 1 argument']]);
    expect(problemsOf('package test\nq := 1\np := q(1, 2)').map((p) => p.message)).toEqual(['function data.test.q has arity 0, got 2 arguments']);
  });

  it('reports refs into constants and functions used as values', () => {
    expect(problemsOf('package test\narr := [1, 2]\np := arr[5]')[0].message).toMatch(/^undefined ref: data\.test\.arr\[5\]\n/);
    expect(problemsOf('package test\nobj := {"a": 1}\np := obj.b')[0].message).toMatch(/^undefined ref: data\.test\.obj\.b\n(.|\n)*want \(one of\): \["a"\]/);
    expect(problemsOf('package test\nf(x) := x\np := f')[0].message).toMatch(/^undefined ref: data\.test\.f\n/);
    expect(problemsOf('package test\narr := [1, 2]\np := arr[1]\nq := arr[input.i]')).toEqual([]);
  });

  it('checks queries too', () => {
    expect(problemsOf('package test\np := 1', 'x := "a" + 1').map((p) => [p.file, p.message.split('\n')[0]])).toEqual([['<query>', 'plus: invalid argument(s)']]);
  });
});

describe('type errors reach the CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'unwind-typecheck-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const policy = 'package unwind\n\ndecision := {"allow": count(42) > 0}\n';

  it('unwind policy test stops with the located problem', () => {
    const r = runPolicyTests([{ path: 'decision.rego', content: policy }], { now: new Date(0) });
    expect(r.results).toEqual([]);
    expect(r.problems[0]).toMatch(/^decision\.rego:3:23: rego_type_error: count: invalid argument\(s\)\n\thave: \(number, \?\?\?\)/);
  });

  it('unwind validate reports it as an error at file:line:col', async () => {
    mkdirSync(join(tmp, 'p'), { recursive: true });
    writeFileSync(join(tmp, 'p', 'decision.rego'), policy);
    const r = await runValidate({ cwd: tmp, files: ['p/decision.rego'] });
    expect(r.exitCode).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ file: 'p/decision.rego', line: 3, col: 23, severity: 'error', message: expect.stringMatching(/^rego_type_error: count: invalid argument\(s\)/) })]);
    expect(r.output).toContain('p/decision.rego:3:23: error: rego_type_error: count: invalid argument(s)');
  });
});
