/**
 * `regex.template_match`: a template whose parts between the delimiters are regular expressions and
 * whose other text is literal, as OPA's topdown/regex_template.go (from ory/ladon) builds it.
 */
import type { RE2 } from 're2-wasm';
import { goQuote } from './format-value.ts';
import { evalErr } from './operands.ts';
import { compileRegex } from './re2-cache.ts';

const NAME = 'regex.template_match';

/** Go's regexp.QuoteMeta. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** Start and end (exclusive) of each outermost delimited part; nested delimiters are kept inside. */
function delimiterIndices(s: string, open: string, close: string): number[] {
  const idxs: number[] = [];
  let level = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    // Go compares bytes: `open` is tested first, so equal delimiters only ever open.
    if (s[i] === open) {
      if (++level === 1) start = i;
    } else if (s[i] === close) {
      level--;
      if (level === 0) idxs.push(start, i + 1);
      else if (level < 0) throw evalErr(NAME, `unbalanced braces in ${goQuote(s)}`);
    }
  }
  if (level !== 0) throw evalErr(NAME, `unbalanced braces in ${goQuote(s)}`);
  return idxs;
}

export function compileTemplate(template: string, open: string, close: string): RE2 {
  const idxs = delimiterIndices(template, open, close);
  let pattern = '^';
  let end = 0;
  for (let i = 0; i < idxs.length; i += 2) {
    const raw = template.slice(end, idxs[i]);
    end = idxs[i + 1];
    const part = template.slice(idxs[i] + 1, end - 1);
    compileRegex(NAME, `^${part}$`);
    pattern += `${quoteMeta(raw)}(${part})`;
  }
  return compileRegex(NAME, pattern + quoteMeta(template.slice(end)) + '$');
}
