/** Rego-syntax text of values, as OPA's ast String() prints them (used by sprintf %v and friends). */
import { isNum, RObject, RSet } from '../value.ts';
import type { Num, Value } from '../value.ts';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SIMPLE: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const simple = SIMPLE[ch];
    if (simple) out += simple;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

export function numberText(n: Num): string {
  return n.isInteger() ? n.toFixed(0) : n.toString();
}

/** `quote` writes strings: Go's strconv.Quote by default, as OPA's String() does. */
export function regoString(v: Value, quote: (s: string) => string = goQuote): string {
  const text = (x: Value): string => regoString(x, quote);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return quote(v);
  if (isNum(v)) return numberText(v);
  if (Array.isArray(v)) return '[' + v.map(text).join(', ') + ']';
  if (v instanceof RObject) return '{' + v.sortedEntries().map(([k, x]) => `${text(k)}: ${text(x)}`).join(', ') + '}';
  const s = v as RSet;
  return s.size === 0 ? 'set()' : '{' + s.sortedValues().map(text).join(', ') + '}';
}
