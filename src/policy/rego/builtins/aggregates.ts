/** Aggregates: count, sum, product, max, min, sort, any, all (OPA topdown/aggregates.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { compare, D, isNum, RObject, RSet } from '../value.ts';
import type { Num, Value } from '../value.ts';
import { elemErr, items, runeCount, typeErr } from './operands.ts';

function count(args: Value[]): Value {
  const v = args[0];
  if (Array.isArray(v)) return new D(v.length);
  if (v instanceof RSet || v instanceof RObject) return new D(v.size);
  if (typeof v === 'string') return new D(runeCount(v));
  throw typeErr('count', 1, v, 'array', 'object', 'set', 'string');
}

function numbersOf(name: string, args: Value[]): Num[] {
  const v = args[0];
  if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr(name, 1, v, 'set', 'array');
  return items(name, args, 0).map((x) => {
    if (!isNum(x)) throw elemErr(name, 1, v, x, 'number');
    return x;
  });
}

function collection(name: string, args: Value[]): Value[] {
  const v = args[0];
  if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr(name, 1, v, 'set', 'array');
  return items(name, args, 0);
}

function extreme(name: string, sign: 1 | -1) {
  return (args: Value[]): Value | undefined => {
    const xs = collection(name, args);
    if (xs.length === 0) return undefined;
    let best = xs[0];
    for (const x of xs) if (compare(x, best) * sign > 0) best = x;
    return best;
  };
}

function anyAll(name: string, wantAll: boolean) {
  return (args: Value[]): Value => {
    const v = args[0];
    if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr(name, 1, v, 'array', 'set');
    const xs = items(name, args, 0);
    return wantAll ? xs.every((x) => x === true) : xs.some((x) => x === true);
  };
}

export const aggregateBuiltins: BuiltinDef[] = [
  { name: 'count', arity: 1, fn: count },
  { name: 'sum', arity: 1, fn: (a) => numbersOf('sum', a).reduce((s, x) => s.plus(x), new D(0)) },
  { name: 'product', arity: 1, fn: (a) => numbersOf('product', a).reduce((s, x) => s.times(x), new D(1)) },
  { name: 'max', arity: 1, fn: extreme('max', 1) },
  { name: 'min', arity: 1, fn: extreme('min', -1) },
  { name: 'sort', arity: 1, fn: (a) => [...collection('sort', a)].sort(compare) },
  { name: 'any', arity: 1, fn: anyAll('any', false) },
  { name: 'all', arity: 1, fn: anyAll('all', true) },
];
