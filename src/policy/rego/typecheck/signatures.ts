/**
 * Builtin signatures as OPA declares them (ast/builtins.go: types.NewFunction(types.Args(…),
 * types.Named(…))), in OPA's notation: `(name: type, …) => name: type`. A builtin may also carry
 * its own `types` string on its BuiltinDef (builtin-types.ts); that one wins. Builtins without a
 * signature are not checked (their operands are `any`), which never rejects a valid policy.
 */
import { ANY, parseType } from './types.ts';
import type { Type } from './types.ts';

const COLL = 'any<string, array[any], object[any: any], set[any]>';
const NUMS = 'any<array[number], set[number]>';
const SETNUM = 'any<number, set[any]>';

const SIGNATURES: Record<string, string> = {
  plus: '(x: number, y: number) => z: number',
  minus: `(x: ${SETNUM}, y: ${SETNUM}) => z: ${SETNUM}`,
  mul: '(x: number, y: number) => z: number',
  div: '(x: number, y: number) => z: number',
  rem: '(x: number, y: number) => z: number',
  equal: '(x: any, y: any) => result: boolean',
  neq: '(x: any, y: any) => result: boolean',
  lt: '(x: any, y: any) => result: boolean',
  lte: '(x: any, y: any) => result: boolean',
  gt: '(x: any, y: any) => result: boolean',
  gte: '(x: any, y: any) => result: boolean',
  and: '(x: set[any], y: set[any]) => z: set[any]',
  or: '(x: set[any], y: set[any]) => z: set[any]',
  abs: '(x: number) => y: number',
  ceil: '(x: number) => y: number',
  floor: '(x: number) => y: number',
  round: '(x: number) => y: number',
  count: `(collection: ${COLL}) => n: number`,
  sum: `(collection: ${NUMS}) => n: number`,
  product: `(collection: ${NUMS}) => n: number`,
  max: '(collection: any<array[any], set[any]>) => n: any',
  min: '(collection: any<array[any], set[any]>) => n: any',
  sort: '(collection: any<array[any], set[any]>) => n: array[any]',
  concat: '(delimiter: string, collection: any<array[string], set[string]>) => output: string',
  contains: '(haystack: string, needle: string) => result: boolean',
  startswith: '(search: string, base: string) => result: boolean',
  endswith: '(search: string, base: string) => result: boolean',
  lower: '(x: string) => y: string',
  upper: '(x: string) => y: string',
  trim: '(value: string, cutset: string) => output: string',
  trim_left: '(value: string, cutset: string) => output: string',
  trim_right: '(value: string, cutset: string) => output: string',
  trim_prefix: '(value: string, prefix: string) => output: string',
  trim_suffix: '(value: string, suffix: string) => output: string',
  trim_space: '(value: string) => output: string',
  split: '(x: string, delimiter: string) => ys: array[string]',
  replace: '(x: string, old: string, new: string) => y: string',
  substring: '(value: string, offset: number, length: number) => output: string',
  indexof: '(haystack: string, needle: string) => output: number',
  sprintf: '(format: string, values: array[any]) => output: string',
  format_int: '(number: number, base: number) => output: string',
  'strings.replace_n': '(patterns: object[string: string], value: string) => output: string',
  'strings.reverse': '(x: string) => y: string',
  'strings.count': '(search: string, substring: string) => output: number',
  'regex.match': '(pattern: string, value: string) => result: boolean',
  re_match: '(pattern: string, value: string) => result: boolean',
  'regex.is_valid': '(pattern: any) => result: boolean',
  'regex.split': '(pattern: string, value: string) => output: array[string]',
  'regex.replace': '(s: string, pattern: string, value: string) => output: string',
  'glob.match': '(pattern: string, delimiters: any<null, array[string]>, match: string) => result: boolean',
  'json.marshal': '(x: any) => y: string',
  'json.unmarshal': '(x: string) => y: any',
  'json.is_valid': '(x: string) => result: boolean',
  'yaml.marshal': '(x: any) => y: string',
  'yaml.unmarshal': '(x: string) => y: any',
  'base64.encode': '(x: string) => y: string',
  'base64.decode': '(x: string) => y: string',
  'base64url.encode': '(x: string) => y: string',
  'base64url.decode': '(x: string) => y: string',
  'object.get': '(object: object[any: any], key: any, default: any) => value: any',
  'object.keys': '(object: object[any: any]) => value: set[any]',
  'object.remove': '(object: object[any: any], keys: any<array[any], object[any: any], set[any]>) => output: object[any: any]',
  'object.filter': '(object: object[any: any], keys: any<array[any], object[any: any], set[any]>) => filtered: any',
  'object.union': '(a: object[any: any], b: object[any: any]) => output: any',
  'array.concat': '(x: array[any], y: array[any]) => z: array[any]',
  'array.slice': '(arr: array[any], start: number, stop: number) => slice: array[any]',
  'array.reverse': '(arr: array[any]) => rev: array[any]',
  is_array: '(x: any) => result: boolean',
  is_boolean: '(x: any) => result: boolean',
  is_null: '(x: any) => result: boolean',
  is_number: '(x: any) => result: boolean',
  is_object: '(x: any) => result: boolean',
  is_set: '(x: any) => result: boolean',
  is_string: '(x: any) => result: boolean',
  type_name: '(x: any) => type: string',
  to_number: '(x: any<null, boolean, number, string>) => num: number',
  union: '(xs: set[set[any]]) => y: set[any]',
  intersection: '(xs: set[set[any]]) => y: set[any]',
  'time.now_ns': '() => now: number',
  'time.parse_rfc3339_ns': '(value: string) => ns: number',
  'time.parse_duration_ns': '(duration: string) => ns: number',
  'units.parse_bytes': '(x: string) => y: number',
  'semver.compare': '(a: string, b: string) => result: number',
  'numbers.range': '(a: number, b: number) => range: array[number]',
  'crypto.sha256': '(x: string) => y: string',
  'crypto.md5': '(x: string) => y: string',
};

export interface Signature {
  args: Array<{ name: string; type: Type }>;
  result: { name: string; type: Type };
}

/** Splits `a: T, b: U` at top-level commas. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '<' || ch === '[') depth++;
    if (ch === '>' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

function named(s: string): { name: string; type: Type } {
  const m = /^\s*([a-z_]+)\s*:\s*(.+)$/.exec(s);
  return m ? { name: m[1], type: parseType(m[2].trim()) } : { name: '', type: parseType(s.trim()) };
}

export function parseSignature(text: string): Signature {
  const m = /^\((.*)\)\s*=>\s*(.+)$/.exec(text.trim());
  if (!m) throw new Error(`bad builtin signature: ${text}`);
  return { args: splitTop(m[1]).map(named), result: named(m[2]) };
}

const parsed = new Map<string, Signature | null>();

/** The signature of builtin `name` (its own `types` string first), or undefined when unknown. */
export function signatureOf(name: string, own?: string): Signature | undefined {
  const key = own ? `${name}\u0000${own}` : name;
  let s = parsed.get(key);
  if (s === undefined) {
    const text = own ?? SIGNATURES[name];
    s = text ? parseSignature(text) : null;
    parsed.set(key, s);
  }
  return s ?? undefined;
}

