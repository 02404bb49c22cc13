/** semver.is_valid and semver.compare: SemVer 2.0.0 strictly (no "v" prefix, no leading zeros). */
import semver from 'semver';
import type { BuiltinDef } from '../builtin-types.ts';
import { D } from '../value.ts';
import type { Value } from '../value.ts';
import { evalErr, str } from './operands.ts';

const NUM = '(0|[1-9]\\d*)';
const PRE = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const STRICT = new RegExp(`^${NUM}\\.${NUM}\\.${NUM}(?:-${PRE}(?:\\.${PRE})*)?(?:\\+[0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*)?$`);

export function isSemver(s: string): boolean {
  return STRICT.test(s) && semver.valid(s) !== null;
}

function compare(a: Value[]): Value {
  const x = str('semver.compare', a, 0);
  const y = str('semver.compare', a, 1);
  if (!isSemver(x)) throw evalErr('semver.compare', `operand 1: string ${JSON.stringify(x)} is not a valid SemVer`);
  if (!isSemver(y)) throw evalErr('semver.compare', `operand 2: string ${JSON.stringify(y)} is not a valid SemVer`);
  return new D(semver.compare(x, y));
}

export const semverBuiltins: BuiltinDef[] = [
  { name: 'semver.is_valid', arity: 1, fn: (a) => typeof a[0] === 'string' && isSemver(a[0]) },
  { name: 'semver.compare', arity: 2, fn: compare },
];
