/** Rego's text form of values as `print` writes them (also used by tests and the conformance runner). */
import { regoString as regoText } from '../builtins/format-value.ts';
import type { Value } from '../value.ts';

/** Rego syntax, with strings quoted as JSON (builtins/format-value.ts quotes them as Go does). */
export function regoString(v: Value): string {
  return regoText(v, JSON.stringify);
}

/** Top-level strings print raw; everything else in Rego syntax. */
export function printString(v: Value): string {
  return typeof v === 'string' ? v : regoString(v);
}
