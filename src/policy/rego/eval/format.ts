/** Rego's text form of values (as OPA prints them in `print` and `%v`). */
import { RObject, RSet, isNum } from '../value.ts';
import type { Value } from '../value.ts';

export function regoString(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (isNum(v)) return v.isInteger() ? v.toFixed(0) : v.toString();
  if (Array.isArray(v)) return '[' + v.map(regoString).join(', ') + ']';
  if (v instanceof RSet) return v.size === 0 ? 'set()' : '{' + v.sortedValues().map(regoString).join(', ') + '}';
  return '{' + (v as RObject).sortedEntries().map(([k, x]) => regoString(k) + ': ' + regoString(x)).join(', ') + '}';
}

/** Top-level strings print raw; everything else in Rego syntax. */
export function printString(v: Value): string {
  return typeof v === 'string' ? v : regoString(v);
}
