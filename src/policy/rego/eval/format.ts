/** Rego's text form of values: for tests and the conformance runner, and as `print` writes them. */
import { regoString as regoText } from '../builtins/format-value.ts';
import type { Value } from '../value.ts';

/** Rego syntax, with strings quoted as JSON (builtins/format-value.ts quotes them as Go does). */
export function regoString(v: Value): string {
  return regoText(v, JSON.stringify);
}

/** As OPA's print writes a value: a string raw, anything else as its String() (strings inside quoted as Go does). */
export function printString(v: Value): string {
  return typeof v === 'string' ? v : regoText(v);
}
