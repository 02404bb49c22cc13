/**
 * `not` evaluates the dynamic parts of its expression first, as OPA's compiler does (see
 * compile/lift-negation.ts; module behaviour is checked against OPA in cases/negation-*.yaml).
 */
import { describe, expect, it } from 'vitest';
import { RegoCompileError, compile } from '../../../src/policy/rego/index.ts';

const policy = (text: string) => compile({ modules: [{ path: 'p.rego', text: `package t\nimport rego.v1\n${text}` }] });

describe('negation of expressions with undefined operands', () => {
  it('an undefined call argument leaves the rule undefined (does not fail open)', () => {
    const p = policy('blocked(x) if x == "a"\nallow if not blocked(input.user)');
    expect(p.evalRef('data.t.allow', { input: {} }).value).toBeUndefined();
    expect(p.evalRef('data.t.allow', { input: { user: 'b' } }).value).toBe(true);
    expect(p.evalRef('data.t.allow', { input: { user: 'a' } }).value).toBeUndefined();
  });

  it('a whole undefined ref, or one side of == in a module, is still negated', () => {
    const p = policy('a if not input.x\nb if not input.x == 1');
    expect(p.evalRef('data.t', { input: {} }).value).toEqual(policy('a := true\nb := true').evalRef('data.t').value);
  });

  it('in a query, == stays a call (OPA runs rewriteEquals for modules only), so its ref operands are evaluated first', () => {
    const p = policy('');
    expect(p.query('not input.x == 1', { input: {} }).bindings).toEqual([]);
    expect(p.query('not input.x', { input: {} }).bindings).toEqual([{}]);
  });

  it('some, every and assignments cannot be negated', () => {
    for (const text of ['p if { not some x in [1] }', 'p if { not every x in [1] { x } }', 'p if { not x := 1 }'])
      expect(() => policy(text)).toThrow(RegoCompileError);
  });
});
