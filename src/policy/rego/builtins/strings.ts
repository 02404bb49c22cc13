/** String builtins (OPA topdown/strings.go, casts.go): concat, contains, indexof, split, replace, format_int, … */
import { BuiltinError } from '../builtin-types.ts';
import type { BuiltinDef } from '../builtin-types.ts';
import { compare, D, isNum, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { goToLower, goToUpper } from './go-case.ts';
import { elemErr, evalErr, intArg, numArg, obj, str, typeErr } from './operands.ts';

function concat(args: Value[]): Value {
  const sep = str('concat', args, 0);
  const v = args[1];
  if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr('concat', 2, v, 'set', 'array');
  const parts = (Array.isArray(v) ? v : v.sortedValues()).map((x) => {
    if (typeof x !== 'string') throw elemErr('concat', 2, v, x, 'string');
    return x;
  });
  return parts.join(sep);
}

/** Index in code points of the first occurrence, as OPA counts runes. */
function runeIndexes(base: string, search: string, all: boolean): number[] {
  const b = [...base];
  const s = [...search];
  const out: number[] = [];
  for (let i = 0; i + s.length <= b.length; i++) {
    let ok = true;
    for (let j = 0; j < s.length && ok; j++) ok = b[i + j] === s[j];
    if (ok) {
      out.push(i);
      if (!all) break;
    }
  }
  return out;
}

function indexOf(all: boolean) {
  const name = all ? 'indexof_n' : 'indexof';
  return (args: Value[]): Value => {
    const base = str(name, args, 0);
    const search = str(name, args, 1);
    if (search === '') throw evalErr(name, 'empty search character');
    const found = runeIndexes(base, search, all).map((i) => new D(i));
    return all ? found : (found[0] ?? new D(-1));
  };
}

function substring(args: Value[]): Value {
  const s = str('substring', args, 0);
  const start = intArg('substring', args, 1);
  const length = intArg('substring', args, 2);
  if (start < 0) throw evalErr('substring', 'negative offset');
  const runes = [...s];
  if (start >= runes.length) return '';
  // A negative length means "to the end" (OPA).
  return runes.slice(start, length < 0 ? undefined : Math.min(runes.length, start + length)).join('');
}

function split(args: Value[]): Value {
  const s = str('split', args, 0);
  const d = str('split', args, 1);
  // Go's strings.Split with an empty separator explodes into runes.
  return d === '' ? [...s] : s.split(d);
}

/**
 * Go's strings.Replacer (genericReplacer): at each position the matching old string that comes first
 * in `pairs` wins; after an empty-string match the empty key is ignored once, so "" inserts its value
 * between runes (and around other matches) without looping.
 */
export function replaceAll(s: string, pairs: [string, string][]): string {
  if (pairs.length === 1 && pairs[0][0] !== '') return s.split(pairs[0][0]).join(pairs[0][1]);
  let out = '';
  let i = 0;
  let prevMatchEmpty = false;
  while (i <= s.length) {
    const hit = pairs.find((p) => (p[0] !== '' || !prevMatchEmpty) && s.startsWith(p[0], i));
    prevMatchEmpty = hit !== undefined && hit[0] === '';
    if (hit) {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (i === s.length) break;
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    out += ch;
    i += ch.length;
  }
  return out;
}

function replaceN(args: Value[]): Value {
  const patterns = obj('strings.replace_n', args, 0);
  const s = str('strings.replace_n', args, 1);
  const pairs: [string, string][] = [];
  for (const [k, v] of [...patterns.entries()].sort((x, y) => compare(x[0], y[0]))) {
    if (typeof k !== 'string') throw new BuiltinError('strings.replace_n', 'operand 1 non-string key found in pattern object', 'type');
    if (typeof v !== 'string') throw new BuiltinError('strings.replace_n', 'operand 1 non-string value found in pattern object', 'type');
    pairs.push([k, v]);
  }
  return replaceAll(s, pairs);
}

/**
 * strings.split_n: the first n parts of the split (the last -n parts when n is negative), none for 0.
 * An empty delimiter splits into runes, as split does.
 */
function splitN(args: Value[]): Value {
  const parts = split(args.slice(0, 2)) as string[];
  const n = intArg('strings.split_n', args, 2);
  return n >= 0 ? parts.slice(0, n) : parts.slice(Math.max(0, parts.length + n));
}

function formatInt(args: Value[]): Value {
  const n = numArg('format_int', args, 0);
  const base = numArg('format_int', args, 1);
  const radix = [2, 8, 10, 16].find((b) => base.eq(b));
  if (radix === undefined) throw evalErr('format_int', 'operand 2 must be one of {2, 8, 10, 16}');
  // OPA truncates toward zero (big.Float.Int).
  return BigInt(n.trunc().toFixed(0)).toString(radix);
}

function stringsOrOne(name: string, v: Value, pos: number): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) || v instanceof RSet) return stringsAt(name, v, pos);
  throw typeErr(name, pos, v, 'string', 'set', 'array');
}

function stringsAt(name: string, v: Value, pos: number): string[] {
  const xs = Array.isArray(v) ? v : (v as RSet).sortedValues();
  return xs.map((x) => {
    if (typeof x !== 'string') throw elemErr(name, pos, v, x, 'string');
    return x;
  });
}

function anyMatch(name: string, suffix: boolean) {
  return (args: Value[]): Value => {
    const ss = stringsOrOne(name, args[0], 1);
    const fixes = stringsOrOne(name, args[1], 2);
    return ss.some((s) => fixes.some((f) => (suffix ? s.endsWith(f) : s.startsWith(f))));
  };
}

function toNumber(args: Value[]): Value {
  const v = args[0];
  if (v === null) return new D(0);
  if (typeof v === 'boolean') return new D(v ? 1 : 0);
  if (isNum(v)) return v;
  if (typeof v === 'string') {
    const bare = v.replace(/^[+-]+/, '').toLowerCase();
    if (bare === 'inf' || bare === 'infinity' || bare === 'nan') throw typeErr('to_number', 1, v, 'valid number string');
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) throw evalErr('to_number', `strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
    return new D(v);
  }
  throw typeErr('to_number', 1, v, 'null', 'boolean', 'number', 'string');
}

function countSub(s: string, sub: string): number {
  // Go's strings.Count: an empty substring counts rune boundaries (runes + 1).
  if (sub === '') return [...s].length + 1;
  return s.split(sub).length - 1;
}

const str2 = (name: string, f: (a: string, b: string) => Value): BuiltinDef => ({ name, arity: 2, fn: (a) => f(str(name, a, 0), str(name, a, 1)) });
const str1 = (name: string, f: (a: string) => Value): BuiltinDef => ({ name, arity: 1, fn: (a) => f(str(name, a, 0)) });

export const stringBuiltins: BuiltinDef[] = [
  { name: 'concat', arity: 2, fn: concat },
  str2('contains', (s, sub) => s.includes(sub)),
  str2('startswith', (s, p) => s.startsWith(p)),
  str2('endswith', (s, p) => s.endsWith(p)),
  str2('strings.count', (s, sub) => new D(countSub(s, sub))),
  { name: 'indexof', arity: 2, fn: indexOf(false) },
  { name: 'indexof_n', arity: 2, fn: indexOf(true) },
  { name: 'substring', arity: 3, fn: substring },
  { name: 'split', arity: 2, fn: split },
  { name: 'strings.split_n', arity: 3, fn: splitN, types: '(x: string, delimiter: string, n: number) => ys: array[string]' },
  str1('lower', goToLower),
  str1('upper', goToUpper),
  str1('strings.reverse', (s) => [...s].reverse().join('')),
  {
    name: 'replace',
    arity: 3,
    fn: (a) => replaceAll(str('replace', a, 0), [[str('replace', a, 1), str('replace', a, 2)]]),
  },
  { name: 'strings.replace_n', arity: 2, fn: replaceN },
  { name: 'format_int', arity: 2, fn: formatInt },
  { name: 'strings.any_prefix_match', arity: 2, fn: anyMatch('strings.any_prefix_match', false) },
  { name: 'strings.any_suffix_match', arity: 2, fn: anyMatch('strings.any_suffix_match', true) },
  { name: 'to_number', arity: 1, fn: toNumber },
];
