/** Go encoding/json text of Rego values: sorted keys, HTML-safe escapes, MarshalIndent layout. */
import { isNum, RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { numberText } from './format-value.ts';

const ESC: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

export function goJSONString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return '"' + s.replace(/["\\\n\r\t\b\f<>&\u2028\u2029\u0000-\u001f]/g, (c) => ESC[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
}

function keyText(k: Value): string {
  return typeof k === 'string' ? k : goJSON(k);
}

/** Compact JSON as Go's json.Marshal writes it (sets as sorted arrays). */
export function goJSON(v: Value, indent?: { prefix: string; indent: string }, depth = 0): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJSONString(v);
  if (isNum(v)) return numberText(v);
  const nl = (d: number): string => (indent ? '\n' + indent.prefix + indent.indent.repeat(d) : '');
  const colon = indent ? ': ' : ':';
  let items: string[];
  let open: string;
  let close: string;
  if (v instanceof RObject) {
    [open, close] = ['{', '}'];
    items = v
      .sortedEntries()
      .map(([k, x]) => [keyText(k), x] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([k, x]) => goJSONString(k) + colon + goJSON(x, indent, depth + 1));
  } else {
    [open, close] = ['[', ']'];
    const xs = v instanceof RSet ? v.sortedValues() : (v as readonly Value[]);
    items = xs.map((x) => goJSON(x, indent, depth + 1));
  }
  if (items.length === 0) return open + close;
  return open + items.map((s) => nl(depth + 1) + s).join(',') + nl(depth) + close;
}
