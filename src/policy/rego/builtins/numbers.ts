/** Number builtins: abs, ceil, floor, round, numbers.range, numbers.range_step, rand.intn (OPA topdown/arithmetic.go, numbers.go). */
import { randomInt } from 'node:crypto';
import type { BuiltinContext, BuiltinDef } from '../builtin-types.ts';
import { D } from '../value.ts';
import type { Value } from '../value.ts';
import { bigIntArg, bigToNum, evalErr, intArg, numArg, str } from './operands.ts';

/** Guard against ranges that would exhaust memory; OPA relies on cancellation instead. */
export const MAX_RANGE_LENGTH = 10_000_000;

/** Elements built between two budget charges. */
const CHUNK = 4096;

function range(name: string, from: bigint, to: bigint, step: bigint, ctx: BuiltinContext): Value {
  const span = from <= to ? to - from : from - to;
  if (span / step >= BigInt(MAX_RANGE_LENGTH)) throw evalErr(name, `range of more than ${MAX_RANGE_LENGTH} numbers`);
  const out: Value[] = [];
  const dir = from <= to ? step : -step;
  for (let i = from; from <= to ? i <= to : i >= to; i += dir) {
    // Charged as it is built, so a huge range stops at the budget rather than after allocating.
    if (out.length % CHUNK === 0) ctx.charge?.(CHUNK);
    out.push(bigToNum(i));
  }
  return out;
}

function randIntn(args: Value[], ctx: BuiltinContext): Value {
  const seed = str('rand.intn', args, 0);
  let n = intArg('rand.intn', args, 1);
  if (n === 0) return new D(0);
  if (n < 0) n = -n;
  // OPA caches per (string, |n|) for the evaluation, so repeated calls agree.
  const key = `rand.intn:${seed}-${n}`;
  const hit = ctx.cache.get(key);
  if (hit !== undefined) return hit as Value;
  const r = new D(n > 2 ** 48 - 1 ? Math.floor(Math.random() * n) : randomInt(n));
  ctx.cache.set(key, r);
  return r;
}

export const numberBuiltins: BuiltinDef[] = [
  { name: 'abs', arity: 1, fn: (a) => numArg('abs', a, 0).abs() },
  { name: 'ceil', arity: 1, fn: (a) => numArg('ceil', a, 0).ceil() },
  { name: 'floor', arity: 1, fn: (a) => numArg('floor', a, 0).floor() },
  // OPA rounds half away from zero (round(-1.5) = -2).
  { name: 'round', arity: 1, fn: (a) => numArg('round', a, 0).toDecimalPlaces(0, D.ROUND_HALF_UP) },
  {
    name: 'numbers.range',
    arity: 2,
    fn: (a, ctx) => range('numbers.range', bigIntArg('numbers.range', a, 0), bigIntArg('numbers.range', a, 1), 1n, ctx),
  },
  {
    name: 'numbers.range_step',
    arity: 3,
    fn: (a, ctx) => {
      const n = 'numbers.range_step';
      const from = bigIntArg(n, a, 0);
      const to = bigIntArg(n, a, 1);
      const step = bigIntArg(n, a, 2);
      if (step <= 0n) throw evalErr(n, 'step must be a positive integer');
      return range(n, from, to, step, ctx);
    },
  },
  { name: 'rand.intn', arity: 2, nondeterministic: true, fn: randIntn },
];
