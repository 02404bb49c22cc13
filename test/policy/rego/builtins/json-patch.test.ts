import { describe, expect, it } from 'vitest';
import { RegoEvalError, compile } from '../../../../src/policy/rego/index.ts';
import { toJSONText } from '../../../../src/policy/rego/value.ts';
import { j } from './call.ts';

/** json.patch through the engine, as a policy calls it. */
function patch(target: string, ops: string, strictBuiltinErrors = false): string {
  const p = compile({ modules: [{ path: 'p.rego', text: `package p\nimport rego.v1\nr := json.patch(${target}, ${ops})` }] });
  const v = p.evalRef('data.p.r', { strictBuiltinErrors }).value;
  return v === undefined ? 'undefined' : toJSONText(v);
}

describe('json.patch (RFC 6902 as OPA applies it)', () => {
  it('applies add, remove, replace, move, copy and test in order', () => {
    expect(j('json.patch', { a: { foo: 1 } }, [{ op: 'add', path: '/a/bar', value: 2 }])).toBe('{"a":{"bar":2,"foo":1}}');
    expect(j('json.patch', { a: { foo: 1, bar: 2 } }, [{ op: 'remove', path: '/a/bar' }])).toBe('{"a":{"foo":1}}');
    expect(j('json.patch', { a: { foo: 1 } }, [{ op: 'replace', path: '/a/foo', value: 42 }])).toBe('{"a":{"foo":42}}');
    expect(j('json.patch', { a: { foo: 1 }, b: {} }, [{ op: 'move', from: '/a/foo', path: '/b/foo' }])).toBe('{"a":{},"b":{"foo":1}}');
    expect(j('json.patch', { a: { foo: 1 }, b: {} }, [{ op: 'copy', from: '/a/foo', path: '/b/foo' }])).toBe('{"a":{"foo":1},"b":{"foo":1}}');
    expect(j('json.patch', { a: 1 }, [{ op: 'test', path: '/a', value: 1 }, { op: 'add', path: '/b', value: 2 }])).toBe('{"a":1,"b":2}');
  });
  it('addresses arrays by index, "-" for the end, and unescapes ~1 and ~0', () => {
    expect(j('json.patch', { arr: [1, 2, 3] }, [{ op: 'add', path: '/arr/1', value: 'x' }])).toBe('{"arr":[1,"x",2,3]}');
    expect(j('json.patch', { arr: [1, 2, 3] }, [{ op: 'add', path: '/arr/-', value: 4 }])).toBe('{"arr":[1,2,3,4]}');
    expect(j('json.patch', { arr: [1, 2, 3] }, [{ op: 'remove', path: ['arr', 0] }])).toBe('{"arr":[2,3]}');
    expect(j('json.patch', { 'a/b': { 'c~': 1 } }, [{ op: 'add', path: '/a~1b/c~0d', value: 2 }])).toBe('{"a/b":{"c~":1,"c~d":2}}');
  });
  it('addresses set members by value', () => {
    expect(patch('{"a", "b"}', '[{"op": "add", "path": ["c"], "value": "c"}]')).toBe('["a","b","c"]');
    expect(patch('{"a", "b"}', '[{"op": "remove", "path": ["a"]}]')).toBe('["b"]');
    expect(patch('{{"a": [1]}}', '[{"op": "copy", "from": [{"a": [1]}, "a", 0], "path": [{"a": [1]}, "a", "-"]}]')).toBe('[{"a":[1,1]}]');
  });
  it('replaces and removes the root with an empty path', () => {
    expect(patch('{"a": 1}', '[{"op": "remove", "path": ""}]')).toBe('undefined');
    expect(patch('{"a": 1}', '[{"op": "remove", "path": ""}, {"op": "add", "path": "", "value": {"b": 2}}]')).toBe('{"b":2}');
  });
  it('fails the whole call on a bad operation: undefined, or an error naming it when strict', () => {
    const bad: Array<[string, string, string]> = [
      ['[1, 2]', '[{"op": "remove", "path": "/01"}]', 'leading zeros'],
      ['[1, 2]', '[{"op": "remove", "path": "/-"}]', 'out of bounds'],
      ['[1, 2]', '[{"op": "remove", "path": [-1]}]', 'out of bounds'],
      ['{}', '[{"path": "/a", "value": 1}]', "missing required attribute 'op'"],
      ['{}', '[{"op": "add", "value": 1}]', "missing required attribute 'path'"],
      ['{}', '[{"op": "add", "path": "/a"}]', "missing required attribute 'value'"],
      ['{}', '[{"op": "move", "path": "/a"}]', "missing required attribute 'from'"],
      ['{}', '[{"op": "nope", "path": "/a"}]', "unrecognized op: 'nope'"],
      ['{"a": {"b": 1}}', '[{"op": "move", "from": "/a", "path": "/a/c"}]', 'path not found'],
      ['{"a", "b"}', '[{"op": "replace", "path": ["a"], "value": "c"}]', 'set key does not equal'],
      ['{"a": 1}', '[{"op": "test", "path": "/a", "value": 2}]', 'test operation failed'],
    ];
    for (const [target, ops, msg] of bad) {
      expect(patch(target, ops)).toBe('undefined');
      expect(() => patch(target, ops, true)).toThrow(RegoEvalError);
      expect(() => patch(target, ops, true)).toThrow(msg);
    }
  });
  it('never modifies its operand', () => {
    const p = compile({
      modules: [{ path: 'p.rego', text: 'package p\nimport rego.v1\no := {"a": [1, 2, 3]}\nx := json.patch(o, [{"op": "remove", "path": "/a/0"}])\nr := [o, x]' }],
    });
    expect(toJSONText(p.evalRef('data.p.r').value!)).toBe('[{"a":[1,2,3]},{"a":[2,3]}]');
  });
});
