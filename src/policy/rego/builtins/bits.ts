/** bits.* on arbitrary-size integers (OPA topdown/bits.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { BuiltinError } from '../builtin-types.ts';
import type { Value } from '../value.ts';
import { bigIntArg, bigToNum } from './operands.ts';

function binary(name: string, op: (x: bigint, y: bigint) => bigint): BuiltinDef {
  return { name, arity: 2, fn: (a: Value[]) => bigToNum(op(bigIntArg(name, a, 0), bigIntArg(name, a, 1))) };
}

function shift(name: string, op: (x: bigint, y: bigint) => bigint): BuiltinDef {
  return {
    name,
    arity: 2,
    fn: (a: Value[]) => {
      const x = bigIntArg(name, a, 0);
      const y = bigIntArg(name, a, 1);
      if (y < 0n) throw new BuiltinError(name, 'operand 2 must be an unsigned integer number but got a negative integer', 'type');
      if (y > 1_000_000n) throw new BuiltinError(name, 'operand 2 is too large a shift', 'eval');
      return bigToNum(op(x, y));
    },
  };
}

export const bitsBuiltins: BuiltinDef[] = [
  binary('bits.or', (x, y) => x | y),
  binary('bits.and', (x, y) => x & y),
  binary('bits.xor', (x, y) => x ^ y),
  { name: 'bits.negate', arity: 1, fn: (a) => bigToNum(~bigIntArg('bits.negate', a, 0)) },
  shift('bits.lsh', (x, y) => x << y),
  shift('bits.rsh', (x, y) => x >> y),
];
