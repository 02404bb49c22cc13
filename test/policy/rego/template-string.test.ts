/**
 * Template strings (OPA 1.x `$"…{expr}…"`): values and conformance are pinned by OPA's own
 * stringinterpolation folder; here, what that folder does not show: errors inside a template
 * expression keep their file:line:col, and an expression with several values is an error.
 */
import { describe, expect, it } from 'vitest';
import { RegoCompileError, RegoEvalError, compile } from '../../../src/policy/rego/index.ts';

const policy = (text: string) => compile({ modules: [{ path: 'p.rego', text: `package t\n${text}` }] });

describe('template strings', () => {
  it('evaluates expressions, undefined ones as <undefined>', () => {
    expect(policy('p := $"a {1 + 1} {input.x} {[1, "b"]} \\{x\\}"').evalRef('data.t.p').value).toBe('a 2 <undefined> [1, "b"] {x}');
  });

  it('reports a parse error inside an expression at its own line and column', () => {
    let err: unknown;
    try {
      policy('q := 1\np := $`line one\n  {q +}`');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegoCompileError);
    expect((err as RegoCompileError).problems[0]).toMatchObject({ file: 'p.rego', line: 4, code: 'rego_parse_error' });
  });

  it('reports an unterminated template string where it starts', () => {
    expect(() => policy('p := $"abc')).toThrow(/p\.rego:2:6: rego_parse_error: non-terminated template string/);
  });

  it('an expression with several values is an error in strict mode, undefined otherwise', () => {
    const p = policy('p := $"{input.xs[_]}"');
    expect(p.evalRef('data.t.p', { input: { xs: [1] } }).value).toBe('1');
    expect(p.evalRef('data.t.p', { input: { xs: [1, 2] } }).value).toBeUndefined();
    expect(() => p.evalRef('data.t.p', { input: { xs: [1, 2] }, strictBuiltinErrors: true })).toThrow(RegoEvalError);
  });
});
