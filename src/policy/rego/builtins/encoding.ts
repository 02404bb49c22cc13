/** base64, base64url, hex and urlquery builtins with Go's strictness (OPA topdown/encoding.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { elemErr, evalErr, obj, str, typeErr } from './operands.ts';

const STD = /^[A-Za-z0-9+/]*$/;
const URL = /^[A-Za-z0-9_-]*$/;

/** Go's padded base64 decoding: length multiple of 4, padding only at the end. */
function decode64(name: string, s: string, url: boolean): string {
  const body = s.replace(/={1,2}$/, '');
  const alphabetOk = (url ? URL : STD).test(body);
  if (!alphabetOk || s.length % 4 !== 0 || body.length % 4 === 1) {
    let at = [...s].findIndex((c) => !(url ? URL : STD).test(c) && c !== '=');
    if (at < 0) at = Math.min(s.length, body.length - (body.length % 4));
    throw evalErr(name, `illegal base64 data at input byte ${at}`);
  }
  return Buffer.from(body, url ? 'base64url' : 'base64').toString('utf8');
}

function urlDecode(name: string, a: Value[]): Value {
  let s = str(name, a, 0);
  // RFC 7515 appendix C: restore omitted padding.
  if (!s.endsWith('=')) {
    const r = s.length % 4;
    if (r === 1) throw evalErr(name, `illegal base64url string: ${s}`);
    if (r === 2) s += '==';
    else if (r === 3) s += '=';
  }
  return decode64(name, s, true);
}

function hexDecode(a: Value[]): Value {
  const s = str('hex.decode', a, 0);
  const bad = /[^0-9a-fA-F]/.exec(s);
  if (bad) throw evalErr('hex.decode', `encoding/hex: invalid byte: U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} ${JSON.stringify(bad[0]).replace(/^"|"$/g, "'")}`);
  if (s.length % 2 !== 0) throw evalErr('hex.decode', 'encoding/hex: odd length hex string');
  return Buffer.from(s, 'hex').toString('utf8');
}

/** Go's url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Go's url.QueryUnescape. */
export function queryUnescape(name: string, s: string): string {
  const bytes: number[] = [];
  const src = Buffer.from(s, 'utf8');
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0x25) {
      const hex = src.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw evalErr(name, `invalid URL escape ${JSON.stringify(src.subarray(i, i + 3).toString('utf8'))}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(b === 0x2b ? 0x20 : b);
  }
  return Buffer.from(bytes).toString('utf8');
}

function encodeObject(a: Value[]): Value {
  const n = 'urlquery.encode_object';
  const o = obj(n, a, 0);
  const pairs: [string, string][] = [];
  for (const [k, v] of o.entries()) {
    if (typeof k !== 'string') throw typeErr(n, 1, k, 'string');
    if (typeof v === 'string') pairs.push([k, v]);
    else if (Array.isArray(v) || v instanceof RSet) {
      for (const x of Array.isArray(v) ? v : v.sortedValues()) {
        if (typeof x !== 'string') throw elemErr(n, 1, v, x, 'string');
        pairs.push([k, x]);
      }
    } else throw typeErr(n, 1, v, 'string', 'array', 'set');
  }
  // url.Values.Encode sorts by key, keeping each key's value order.
  const keys = [...new Set(pairs.map((p) => p[0]))].sort();
  return keys.flatMap((k) => pairs.filter((p) => p[0] === k).map((p) => `${queryEscape(k)}=${queryEscape(p[1])}`)).join('&');
}

function decodeObject(a: Value[]): Value {
  const n = 'urlquery.decode_object';
  const s = str(n, a, 0);
  const out = new Map<string, string[]>();
  for (const part of s.split(/&/)) {
    if (part === '') continue;
    if (part.includes(';')) throw evalErr(n, 'invalid semicolon separator in query');
    const eq = part.indexOf('=');
    const k = queryUnescape(n, eq < 0 ? part : part.slice(0, eq));
    const v = queryUnescape(n, eq < 0 ? '' : part.slice(eq + 1));
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return new RObject([...out].map(([k, vs]) => [k, vs] as const));
}

const enc = (name: string, f: (s: string) => string): BuiltinDef => ({ name, arity: 1, fn: (a) => f(str(name, a, 0)) });

export const encodingBuiltins: BuiltinDef[] = [
  enc('base64.encode', (s) => Buffer.from(s, 'utf8').toString('base64')),
  enc('base64.decode', (s) => decode64('base64.decode', s, false)),
  {
    name: 'base64.is_valid',
    arity: 1,
    fn: (a) => {
      if (typeof a[0] !== 'string') return false;
      try {
        decode64('base64.is_valid', a[0], false);
        return true;
      } catch {
        return false;
      }
    },
  },
  enc('base64url.encode', (s) => {
    const b = Buffer.from(s, 'utf8').toString('base64url');
    return b + '='.repeat((4 - (b.length % 4)) % 4);
  }),
  enc('base64url.encode_no_pad', (s) => Buffer.from(s, 'utf8').toString('base64url')),
  { name: 'base64url.decode', arity: 1, fn: (a) => urlDecode('base64url.decode', a) },
  enc('hex.encode', (s) => Buffer.from(s, 'utf8').toString('hex')),
  { name: 'hex.decode', arity: 1, fn: hexDecode },
  enc('urlquery.encode', queryEscape),
  enc('urlquery.decode', (s) => queryUnescape('urlquery.decode', s)),
  { name: 'urlquery.encode_object', arity: 1, fn: encodeObject },
  { name: 'urlquery.decode_object', arity: 1, fn: decodeObject },
];
