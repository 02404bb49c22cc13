/**
 * Operand checks shared by the builtin families, with OPA's error wording
 * (`operand N must be T but got U`, see OPA topdown/builtins/builtins.go).
 */
import { BuiltinError } from '../builtin-types.ts';
import { D, isNum, RObject, RSet, typeName } from '../value.ts';
import type { Num, RArray, Value } from '../value.ts';

export function typeErr(builtin: string, pos: number, got: Value, ...expected: string[]): BuiltinError {
  const want = expected.length === 1 ? expected[0] : `one of {${expected.join(', ')}}`;
  return new BuiltinError(builtin, `operand ${pos} must be ${want} but got ${typeName(got)}`, 'type');
}

export function elemErr(builtin: string, pos: number, composite: Value, got: Value, ...expected: string[]): BuiltinError {
  const t = typeName(composite);
  const want = expected.length === 1 ? `${t} of ${expected[0]}s` : `${t} of (any of) {${expected.join(', ')}}`;
  return new BuiltinError(builtin, `operand ${pos} must be ${want} but got ${t} containing ${typeName(got)}`, 'type');
}

export function evalErr(builtin: string, message: string): BuiltinError {
  return new BuiltinError(builtin, message, 'eval');
}

export function str(builtin: string, args: Value[], i: number): string {
  const v = args[i];
  if (typeof v !== 'string') throw typeErr(builtin, i + 1, v, 'string');
  return v;
}

export function numArg(builtin: string, args: Value[], i: number): Num {
  const v = args[i];
  if (!isNum(v)) throw typeErr(builtin, i + 1, v, 'number');
  return v;
}

/** An integer operand that fits a JS safe integer (OPA's IntOperand). */
export function intArg(builtin: string, args: Value[], i: number): number {
  const n = numArg(builtin, args, i);
  // OPA's IntOperand returns an operand error, which topdown reports as eval_type_error (undefined unless strict).
  if (!n.isInteger()) throw new BuiltinError(builtin, `operand ${i + 1} must be integer number but got floating-point number`, 'type');
  if (n.abs().gt(Number.MAX_SAFE_INTEGER)) throw evalErr(builtin, `operand ${i + 1} is too large`);
  return n.toNumber();
}

/** An arbitrary-size integer operand (OPA's BigIntOperand). */
export function bigIntArg(builtin: string, args: Value[], i: number): bigint {
  const v = args[i];
  if (!isNum(v)) throw typeErr(builtin, i + 1, v, 'integer');
  if (!v.isInteger()) throw new BuiltinError(builtin, `operand ${i + 1} must be integer number but got floating-point number`, 'type');
  return BigInt(v.toFixed(0));
}

export function arr(builtin: string, args: Value[], i: number): RArray {
  const v = args[i];
  if (!Array.isArray(v)) throw typeErr(builtin, i + 1, v, 'array');
  return v;
}

export function obj(builtin: string, args: Value[], i: number): RObject {
  const v = args[i];
  if (!(v instanceof RObject)) throw typeErr(builtin, i + 1, v, 'object');
  return v;
}

export function set(builtin: string, args: Value[], i: number): RSet {
  const v = args[i];
  if (!(v instanceof RSet)) throw typeErr(builtin, i + 1, v, 'set');
  return v;
}

/** Elements of an array or set operand (sets in sorted order). */
export function items(builtin: string, args: Value[], i: number): Value[] {
  const v = args[i];
  if (Array.isArray(v)) return v as Value[];
  if (v instanceof RSet) return v.sortedValues();
  throw typeErr(builtin, i + 1, v, 'array', 'set');
}

/** An array or set of strings (OPA's StringSliceOperand). */
export function strings(builtin: string, args: Value[], i: number): string[] {
  const v = args[i];
  if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr(builtin, i + 1, v, 'array', 'set');
  return items(builtin, args, i).map((x) => {
    if (typeof x !== 'string') throw elemErr(builtin, i + 1, v, x, 'string');
    return x;
  });
}

export function bigToNum(b: bigint): Num {
  return new D(b.toString());
}

/** Length of a string in Unicode code points (Go's `len([]rune(s))`). */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
