/** Operator builtins (equal, plus, lt, and, or, internal.member_2, …): owned by the engine. */
import { BuiltinError } from '../builtin-types.ts';
import type { BuiltinDef } from '../builtin-types.ts';
import { D, RObject, RSet, compare, equals, isNum, typeName } from '../value.ts';
import type { Num, Value } from '../value.ts';

function numArg(name: string, v: Value, i: number): Num {
  if (!isNum(v)) throw new BuiltinError(name, `operand ${i} must be number but got ${typeName(v)}`, 'type');
  return v;
}
function setArg(name: string, v: Value, i: number): RSet {
  if (!(v instanceof RSet)) throw new BuiltinError(name, `operand ${i} must be set but got ${typeName(v)}`, 'type');
  return v;
}

/** Results that are not exact in 15 significant digits are rounded as Go's float64 would print them. */
export function roundLikeFloat(n: Num): Num {
  if (n.isInteger() || n.sd() <= 15) return n;
  const f = n.toNumber();
  return Number.isFinite(f) ? new D(String(f)) : n;
}

const cmp = (name: string, f: (c: number) => boolean): BuiltinDef => ({ name, arity: 2, fn: ([a, b]) => f(compare(a, b)) });

export const operatorBuiltins: BuiltinDef[] = [
  { name: 'equal', arity: 2, fn: ([a, b]) => equals(a, b) },
  { name: 'neq', arity: 2, fn: ([a, b]) => !equals(a, b) },
  cmp('lt', (c) => c < 0),
  cmp('lte', (c) => c <= 0),
  cmp('gt', (c) => c > 0),
  cmp('gte', (c) => c >= 0),
  {
    name: 'plus',
    arity: 2,
    fn: ([a, b]) => numArg('plus', a, 1).plus(numArg('plus', b, 2)),
  },
  {
    name: 'minus',
    arity: 2,
    fn: ([a, b]) => {
      // OPA's builtinMinus: the first operand picks the kind (number or set) the second must have.
      if (a instanceof RSet) {
        const y = setArg('minus', b, 2);
        return new RSet([...a.values()].filter((v) => !y.has(v)));
      }
      if (!isNum(a)) throw new BuiltinError('minus', `operand 1 must be one of {number, set} but got ${typeName(a)}`, 'type');
      return a.minus(numArg('minus', b, 2));
    },
  },
  { name: 'mul', arity: 2, fn: ([a, b]) => numArg('mul', a, 1).times(numArg('mul', b, 2)) },
  {
    name: 'div',
    arity: 2,
    fn: ([a, b]) => {
      const x = numArg('div', a, 1);
      const y = numArg('div', b, 2);
      if (y.isZero()) throw new BuiltinError('div', 'divide by zero');
      return roundLikeFloat(x.div(y));
    },
  },
  {
    name: 'rem',
    arity: 2,
    fn: ([a, b]) => {
      const x = numArg('rem', a, 1);
      const y = numArg('rem', b, 2);
      if (!x.isInteger() || !y.isInteger()) throw new BuiltinError('rem', 'modulo on floating-point number');
      if (y.isZero()) throw new BuiltinError('rem', 'modulo by zero');
      // Go's big.Int Rem: truncated division, sign follows the dividend.
      return x.minus(y.times(x.div(y).trunc()));
    },
  },
  {
    name: 'and',
    arity: 2,
    fn: ([a, b]) => {
      const x = setArg('and', a, 1);
      const y = setArg('and', b, 2);
      return new RSet([...x.values()].filter((v) => y.has(v)));
    },
  },
  {
    name: 'or',
    arity: 2,
    fn: ([a, b]) => new RSet([...setArg('or', a, 1).values(), ...setArg('or', b, 2).values()]),
  },
  {
    name: 'internal.member_2',
    arity: 2,
    fn: ([x, c]) => {
      if (Array.isArray(c)) return c.some((v) => equals(v, x));
      if (c instanceof RSet) return c.has(x);
      if (c instanceof RObject) return [...c.entries()].some(([, v]) => equals(v, x));
      return false;
    },
  },
  {
    name: 'internal.member_3',
    arity: 3,
    fn: ([k, v, c]) => {
      if (Array.isArray(c)) {
        if (!isNum(k) || !k.isInteger()) return false;
        const i = k.toNumber();
        return i >= 0 && i < c.length && equals(c[i], v);
      }
      if (c instanceof RObject) {
        const x = c.get(k);
        return x !== undefined && equals(x, v);
      }
      if (c instanceof RSet) return c.has(k) && equals(k, v);
      return false;
    },
  },
];
