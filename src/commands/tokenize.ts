/**
 * Splits the arguments of a `/rollback` line into words, shell-style but simpler:
 * a quote (`"…"`, `'…'`, or typographic `“…”` / `‘…’`) opens only at the start of a word or right after `=`,
 * so apostrophes inside words (`it's`) stay literal. Inside double quotes `\"` and `\\` are escapes.
 */
export interface Token {
  readonly text: string;
  /** True when the word starts with a quote (such a word is never a flag). */
  readonly quoted: boolean;
}

export type TokenizeResult = { readonly ok: true; readonly tokens: Token[] } | { readonly ok: false; readonly problem: string };

const CLOSING: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\u201c': '\u201d', '\u2018': '\u2019', '\u201d': '\u201d' };

/** `firstColumn` is the 1-based column of `input`'s first character in the comment line, for messages. */
export function tokenize(input: string, firstColumn = 1): TokenizeResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    while (i < input.length && isSpace(input[i])) i++;
    if (i >= input.length) break;
    let text = '';
    let quoted = false;
    let started = false;
    while (i < input.length && !isSpace(input[i])) {
      const ch = input[i];
      const close = CLOSING[ch];
      if (close !== undefined && (!started || text.endsWith('='))) {
        const end = findClose(input, i + 1, close, ch === '"');
        if (end === null) return { ok: false, problem: `the quote ${ch} opened at column ${i + firstColumn} is never closed` };
        if (!started) quoted = true;
        text += unescape(input.slice(i + 1, end.index), ch === '"');
        i = end.index + 1;
      } else {
        text += ch;
        i++;
      }
      started = true;
    }
    tokens.push({ text, quoted });
  }
  return { ok: true, tokens };
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\u00a0';
}

function findClose(input: string, from: number, close: string, escapes: boolean): { index: number } | null {
  for (let j = from; j < input.length; j++) {
    if (escapes && input[j] === '\\' && (input[j + 1] === '"' || input[j + 1] === '\\')) {
      j++;
      continue;
    }
    if (input[j] === close) return { index: j };
  }
  return null;
}

function unescape(text: string, escapes: boolean): string {
  return escapes ? text.replace(/\\(["\\])/g, '$1') : text;
}
