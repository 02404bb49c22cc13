/** Aggregates, numbers, arrays, sets, types and bits, against OPA's behaviour (v1/topdown/*.go). */
import { describe, expect, it } from 'vitest';
import { BuiltinError } from '../../../../src/policy/rego/builtin-types.ts';
import { call, j, makeCtx, S, show } from './call.ts';

type Row = [name: string, args: unknown[], want: string];

const table = (rows: Row[]): void => {
  for (const [name, args, want] of rows) {
    it(`${name}(${show(args)}) = ${want}`, () => expect(j(name, ...args)).toBe(want));
  }
};

describe('aggregates', () => {
  table([
    ['count', [[1, 2, 3]], '3'],
    ['count', [S(1, 1, 2)], '2'],
    ['count', [{ a: 1 }], '1'],
    ['count', ['héllo'], '5'], // OPA counts runes, not bytes
    ['sum', [[1, 2.5, -1]], '2.5'],
    ['sum', [[0.1, 0.2]], '0.3'], // exact decimal arithmetic
    ['sum', [[]], '0'],
    ['sum', [S(1, 2)], '3'],
    ['product', [[2, 3, 4]], '24'],
    ['product', [[]], '1'],
    ['product', [['123456789012345678901234567890', 10].map((x) => (typeof x === 'string' ? BigInt(x) : x))], '1234567890123456789012345678900'],
    ['max', [[1, 'a', null]], '"a"'], // any types, OPA ordering
    ['max', [[]], 'undefined'],
    ['min', [S(3, 1, 2)], '1'],
    ['min', [[null, false]], 'null'],
    ['sort', [[3, 'a', 1, null, [1]]], '[null,1,3,"a",[1]]'],
    ['sort', [S('b', 'a')], '["a","b"]'],
    ['any', [[false, true]], 'true'],
    ['all', [[]], 'true'],
    ['all', [S(true, 1)], 'false'],
  ]);
  it('type errors use OPA wording', () => {
    expect(() => call('count', [1])).toThrow('count: operand 1 must be one of {array, object, set, string} but got number');
    expect(() => call('sum', [[1, 'x']])).toThrow('sum: operand 1 must be array of numbers but got array containing string');
    expect(() => call('sort', ['x'])).toThrow(BuiltinError);
    try {
      call('max', [1]);
    } catch (e) {
      expect((e as BuiltinError).kind).toBe('type');
    }
  });
});

describe('numbers', () => {
  table([
    ['abs', [-3.5], '3.5'],
    ['ceil', [1.2], '2'],
    ['ceil', [-1.2], '-1'],
    ['floor', [-1.2], '-2'],
    ['round', [2.5], '3'], // half away from zero
    ['round', [-2.5], '-3'],
    ['round', [-1.4], '-1'],
    ['numbers.range', [1, 4], '[1,2,3,4]'],
    ['numbers.range', [2, -1], '[2,1,0,-1]'], // descending when a > b
    ['numbers.range', [5, 5], '[5]'],
    ['numbers.range_step', [0, 10, 4], '[0,4,8]'],
    ['numbers.range_step', [10, 1, 4], '[10,6,2]'],
    ['rand.intn', ['x', 0], '0'],
  ]);
  it('rejects bad ranges', () => {
    expect(() => call('numbers.range_step', [0, 10, 0])).toThrow('step must be a positive integer');
    expect(() => call('numbers.range', [1.5, 3])).toThrow('operand 1 must be integer number but got floating-point number');
    expect(() => call('numbers.range', ['a', 3])).toThrow('operand 1 must be integer but got string');
    expect(() => call('numbers.range', [0, 1e12])).toThrow(/range of more than/);
  });
  it('rand.intn is cached per (seed, |n|) for one evaluation', () => {
    const ctx = makeCtx();
    const a = call('rand.intn', ['k', 1000], ctx);
    for (let i = 0; i < 5; i++) expect(call('rand.intn', ['k', -1000], ctx)?.toString()).toBe(a?.toString());
    const n = Number(a?.toString());
    expect(n >= 0 && n < 1000).toBe(true);
  });
});

describe('arrays and sets', () => {
  table([
    ['array.concat', [[1], [2, 3]], '[1,2,3]'],
    ['array.slice', [[1, 2, 3, 4], 1, 3], '[2,3]'],
    ['array.slice', [[1, 2, 3], -5, 10], '[1,2,3]'], // clamped
    ['array.slice', [[1, 2, 3], 2, 1], '[]'],
    ['array.reverse', [[1, 2, 3]], '[3,2,1]'],
    ['intersection', [S(S(1, 2, 3), S(2, 3, 4))], '[2,3]'],
    ['intersection', [S()], '[]'],
    ['union', [S(S(1), S(2), S(1, 3))], '[1,2,3]'],
  ]);
  it('set operands must be sets of sets', () => {
    expect(() => call('union', [S(1)])).toThrow('union: operand 1 must be set but got number');
  });
});

describe('types', () => {
  const values: [unknown, string][] = [[null, 'null'], [true, 'boolean'], [1, 'number'], ['s', 'string'], [[1], 'array'], [{}, 'object'], [S(), 'set']];
  for (const [v, t] of values) {
    it(`type_name and is_${t}`, () => {
      expect(j('type_name', v)).toBe(JSON.stringify(t));
      expect(j(`is_${t}`, v)).toBe('true');
      const other = values.find((x) => x[1] !== t)!;
      expect(j(`is_${t}`, other[0])).toBe('false'); // current OPA returns false, not undefined
    });
  }
});

describe('bits', () => {
  table([
    ['bits.or', [12, 10], '14'],
    ['bits.and', [12, 10], '8'],
    ['bits.xor', [12, 10], '6'],
    ['bits.negate', [5], '-6'],
    ['bits.lsh', [1, 70], '1180591620717411303424'], // arbitrary precision
    ['bits.rsh', [-9, 1], '-5'], // arithmetic shift, like Go's big.Int
  ]);
  it('rejects negative shifts', () => expect(() => call('bits.lsh', [1, -1])).toThrow('must be an unsigned integer'));
});
