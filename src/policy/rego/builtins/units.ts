/** units.parse and units.parse_bytes (OPA topdown/parse_units.go, parse_bytes.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { D } from '../value.ts';
import type { Num } from '../value.ts';
import { evalErr, str } from './operands.ts';

const MAX_EXPONENT_DIGITS = 6;

/** Splits "10.5Mi" into ["10.5", "Mi"]; an `e`/`E` followed by a digit or sign belongs to the number. */
function splitNumUnit(name: string, s: string): [string, string] {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const digit = c >= '0' && c <= '9';
    if (digit || c === '.' || c === '+' || c === '-') continue;
    if (c === 'e' || c === 'E') {
      const n = s[i + 1];
      if (n === undefined || !((n >= '0' && n <= '9') || n === '+' || n === '-')) return [s.slice(0, i), s.slice(i)];
      if (n === '+' || n === '-') i++;
      let j = i + 1;
      while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
      if (j - (i + 1) > MAX_EXPONENT_DIGITS) throw evalErr(name, 'exponent too large');
      continue;
    }
    return [s.slice(0, i), s.slice(i)];
  }
  return [s, ''];
}

function parseAmount(s: string): Num | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  return new D(s);
}

const BIN = (p: number): Num => new D(2).pow(10 * p);
const SI = (p: number): Num => new D(10).pow(3 * p);

const UNITS: Record<string, Num> = {
  '': new D(1),
  m: new D('0.001'),
  k: SI(1), K: SI(1), ki: BIN(1), Ki: BIN(1),
  M: SI(2), mi: BIN(2), Mi: BIN(2),
  g: SI(3), G: SI(3), gi: BIN(3), Gi: BIN(3),
  t: SI(4), T: SI(4), ti: BIN(4), Ti: BIN(4),
  p: SI(5), P: SI(5), pi: BIN(5), Pi: BIN(5),
  e: SI(6), E: SI(6), ei: BIN(6), Ei: BIN(6),
};

const BYTE_UNITS: Record<string, Num> = { '': new D(1) };
['k', 'm', 'g', 't', 'p', 'e'].forEach((u, i) => {
  BYTE_UNITS[u] = BYTE_UNITS[u + 'b'] = SI(i + 1);
  BYTE_UNITS[u + 'i'] = BYTE_UNITS[u + 'ib'] = BIN(i + 1);
});

function unitsParse(s0: string): Num {
  const name = 'units.parse';
  const s = s0.replace(/"/g, '');
  if (s.includes(' ')) throw evalErr(name, 'spaces not allowed in resource strings');
  const [num, unit0] = splitNumUnit(name, s);
  if (num === '') throw evalErr(name, 'no amount provided');
  // Only letters after the first are case-insensitive, so "m" (milli) and "M" (mega) differ.
  const unit = unit0.length > 1 ? unit0[0] + unit0.slice(1).toLowerCase() : unit0;
  const mult = UNITS[unit];
  if (mult === undefined) throw evalErr(name, `unit ${unit} not recognized`);
  const amount = parseAmount(num);
  if (amount === undefined) throw evalErr(name, 'could not parse amount to a number');
  const r = amount.times(mult);
  // OPA prints non-integers with 10 decimals (big.Rat FloatString(10)).
  return r.isInteger() ? r : r.toDecimalPlaces(10, D.ROUND_HALF_UP);
}

function parseBytes(s0: string): Num {
  const name = 'units.parse_bytes';
  const s = s0.toLowerCase().replace(/"/g, '');
  if (s.includes(' ')) throw evalErr(name, 'spaces not allowed in resource strings');
  const [num, unit] = splitNumUnit(name, s);
  if (num === '') throw evalErr(name, 'no byte amount provided');
  const mult = BYTE_UNITS[unit];
  if (mult === undefined) throw evalErr(name, `byte unit ${unit} not recognized`);
  const amount = parseAmount(num);
  if (amount === undefined) throw evalErr(name, 'could not parse byte amount to a number');
  return amount.times(mult).trunc();
}

export const unitBuiltins: BuiltinDef[] = [
  { name: 'units.parse', arity: 1, fn: (a) => unitsParse(str('units.parse', a, 0)) },
  { name: 'units.parse_bytes', arity: 1, fn: (a) => parseBytes(str('units.parse_bytes', a, 0)) },
];
