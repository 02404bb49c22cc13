/** Syntax and semantics that follow OPA's parser and evaluator where they are lenient or subtle. */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/policy/rego/index.ts';
import { regoString } from '../../../src/policy/rego/eval/format.ts';

function val(text: string, ref: string, data?: unknown): string {
  const v = compile({ modules: [{ path: 'p.rego', text }], ...(data ? { data } : {}) }).evalRef(ref).value;
  return v === undefined ? 'undefined' : regoString(v);
}

describe('OPA parser leniencies', () => {
  it('allows whitespace before a function head argument list', () => {
    expect(val('package t\nsum (a, b) := c { c := a + b }\np := sum(5, 6)', 'data.t.p')).toBe('11');
  });
  it('allows a rule body on the line after the head, and chained bodies', () => {
    expect(val('package t\np[x]\n{\n  x := 1\n}', 'data.t.p')).toBe('{1}');
    expect(val('package t\np { input.x } { true }', 'data.t.p')).toBe('true');
  });
  it('needs no newline between rules', () => {
    expect(val('package t\nr["s"] p1 { true }', 'data.t')).toBe('{"p1": true, "r": {"s"}}');
  });
  it('reads `k, v in xs` on the right of := and in rule values', () => {
    expect(val('package t\nimport rego.v1\np := 0, 2 in [5, 6]\nq := 1, 6 in [5, 6]', 'data.t')).toBe('{"p": false, "q": true}');
  });
  it('takes `if { … }` as one literal unless it is a set (a comprehension is always true)', () => {
    expect(val('package t\nimport rego.v1\nx if { 1 | 1 }\ny if { 1: 2 | some p in [1, 2] }\nz if { false }', 'data.t')).toBe('{"x": true, "y": true}');
  });
});

describe('OPA evaluation details', () => {
  it('reads numeric keys of base data as their text (storage paths)', () => {
    const data = { '1': 'one', svc: { '2': 'two' }, arr: ['a', 'b'] };
    // A value copied out of data is no longer storage: there `x[2]` does not find "2".
    expect(val('package t\np := [data[1], data.svc[2], data.arr[1]]\nq if { x := data.svc; not x[2] }', 'data.t', data)).toBe('{"p": ["one", "two", "b"], "q": true}');
  });
  it('rules win over base data at the same path', () => {
    expect(val('package t\nrule1 := 6', 'data.t.rule1', { t: { rule1: 0 } })).toBe('6');
  });
  it('applies defaults with constant keys per key', () => {
    const text = 'package t\ndefault complex[true] := "bool_true"\ndefault complex[false] := "bool_false"\ncomplex["hello"] := "world"\ncomplex[false] := "set" if input.x';
    expect(val(text, 'data.t.complex')).toBe('{false: "bool_false", true: "bool_true", "hello": "world"}');
  });
  it('still rejects two defaults for the same ref', () => {
    expect(() => compile({ modules: [{ path: 'p.rego', text: 'package t\ndefault p := 1\ndefault p := 2' }] })).toThrow(/multiple default rules/);
  });
});
