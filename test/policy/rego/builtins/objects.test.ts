/** Objects, walk and graph builtins (OPA topdown/object.go, subset.go, walk.go, reachable.go). */
import { describe, expect, it } from 'vitest';
import { call, j, S, table } from './call.ts';

describe('object.*', () => {
  table([
    ['object.get', [{ a: 1 }, 'a', 0], '1'],
    ['object.get', [{ a: 1 }, 'b', 'dflt'], '"dflt"'],
    ['object.get', [{ a: { b: [10, 20] } }, ['a', 'b', 1], 0], '20'], // array path through arrays
    ['object.get', [{ a: { b: 1 } }, ['a', 'x'], 'd'], '"d"'],
    ['object.get', [{ a: 1 }, [], 'd'], '{"a":1}'], // empty path returns the object
    ['object.get', [{ a: null }, 'a', 'd'], 'null'], // a key present with null is found
    ['object.get', [{ a: { b: null } }, ['a', 'b'], 'd'], 'null'],
    ['object.get', [{ a: null }, ['a', 'b'], 'd'], '"d"'], // null has no keys
    ['object.keys', [{ b: 1, a: 2 }], '["a","b"]'],
    ['object.remove', [{ a: 1, b: 2, c: 3 }, ['a']], '{"b":2,"c":3}'],
    ['object.remove', [{ a: 1, b: 2 }, { b: 'ignored' }], '{"a":1}'], // keys of an object operand
    ['object.filter', [{ a: 1, b: 2, c: 3 }, S('a', 'c', 'z')], '{"a":1,"c":3}'],
    ['object.union', [{ a: { b: 1, c: 2 }, d: 1 }, { a: { b: 3 }, d: { e: 1 } }], '{"a":{"b":3,"c":2},"d":{"e":1}}'],
    ['object.union_n', [[{ a: { b: 2 } }, { a: 4 }, { a: { c: 3 } }]], '{"a":{"c":3}}'], // OPA's own doc example
    ['object.union_n', [[]], '{}'],
    ['object.subset', [{ a: { b: 1, c: 2 }, d: [1, 2, 3] }, { a: { b: 1 }, d: [2, 3] }], 'true'],
    ['object.subset', [{ a: [1, 2, 3] }, { a: [1, 3] }], 'false'], // arrays must match contiguously
    ['object.subset', [[1, 2, 3], S(3, 1)], 'true'],
    ['object.subset', [S(1, 2), S(2)], 'true'],
  ]);
  it('errors', () => {
    expect(() => call('object.subset', [{}, []])).toThrow('both arguments object.subset must be of the same type or array and set');
    expect(() => call('object.remove', [{}, 1])).toThrow('operand 2 must be one of {object, set, array} but got number');
    expect(() => call('object.union_n', [[{}, 1]])).toThrow('operand 1 must be array of objects but got array containing number');
  });
});

describe('walk', () => {
  it('yields [path, value] pairs in pre-order with sorted keys', () => {
    const out = j('walk', { b: [true], a: S('x') });
    expect(out).toBe('[[[],{"a":["x"],"b":[true]}],[["a"],["x"]],[["a","x"],"x"],[["b"],[true]],[["b",0],true]]');
  });
  it('a scalar walks to itself only', () => expect(j('walk', 5)).toBe('[[[],5]]'));
});

describe('graph', () => {
  const g = { a: ['b'], b: S('c'), c: ['a'], d: [] };
  table([
    ['graph.reachable', [g, ['a']], '["a","b","c"]'],
    ['graph.reachable', [g, S('d', 'zz')], '["d"]'], // unknown nodes are not reached
    ['graph.reachable_paths', [{ a: ['b', 'c'], b: ['d'], c: [], d: [] }, ['a']], '[["a","b","d"],["a","c"]]'],
    ['graph.reachable_paths', [{ a: ['a'] }, ['a']], '[["a","a"]]'], // OPA commits the path when it meets a reached node
  ]);
  it('initial vertices must be a collection', () => expect(() => call('graph.reachable', [g, 'a'])).toThrow('operand 2 must be {array, set} but got string'));
});
