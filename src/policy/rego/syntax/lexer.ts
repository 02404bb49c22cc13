/** Tokenises Rego source text, keeping line/column of every token. */
import { RegoCompileError, problem } from '../errors.ts';

import { TemplateError, readTemplate } from './template-string.ts';
import type { TemplatePart } from './template-string.ts';

export type TokenKind = 'ident' | 'string' | 'number' | 'punct' | 'template' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier name, punctuation text, number text, or the decoded string value. */
  text: string;
  line: number;
  col: number;
  /** A newline occurred between the previous token and this one. */
  nl: boolean;
  /** Whitespace (or a comment) occurred between the previous token and this one. */
  space: boolean;
  /** Raw (backtick) string. */
  raw?: boolean;
  /** Template string (`$"…{expr}…"`): literal text and expression sources. */
  parts?: TemplatePart[];
}

const PUNCT3 = new Set<string>([]);
const PUNCT2 = new Set([':=', '==', '!=', '<=', '>=']);
const PUNCT1 = new Set(['{', '}', '[', ']', '(', ')', '.', ',', ';', ':', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|']);

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** A `#` comment: its text after the `#`, and where the `#` is (METADATA blocks need column 1). */
export interface Comment {
  text: string;
  line: number;
  col: number;
}

/** `comments`, when given, receives every comment in order (the parser reads METADATA blocks from them). */
export function tokenize(file: string, text: string, comments?: Comment[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  let nl = false;
  let space = false;
  const fail = (l: number, c: number, msg: string): never => {
    throw new RegoCompileError([problem({ file, line: l, col: c }, 'rego_parse_error', msg)]);
  };
  const push = (kind: TokenKind, t: string, l: number, c: number, raw?: boolean) => {
    out.push({ kind, text: t, line: l, col: c, nl, space, ...(raw ? { raw } : {}) });
    nl = false;
    space = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      i++;
      line++;
      col = 1;
      nl = true;
      space = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      col++;
      space = true;
      continue;
    }
    if (c === '#') {
      const start = i;
      while (i < text.length && text[i] !== '\n') i++;
      // As OPA's scanner: a trailing \r (CRLF files) is not part of the comment.
      comments?.push({ text: text.slice(start + 1, i).replace(/\r+$/, ''), line, col });
      space = true;
      continue;
    }
    const l = line;
    const cc = col;
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < text.length && (isIdentStart(text[j]) || isDigit(text[j]))) j++;
      push('ident', text.slice(i, j), l, cc);
      col += j - i;
      i = j;
      continue;
    }
    if (isDigit(c)) {
      const m = /^(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
      const s = m ? m[0] : c;
      if (i + s.length < text.length && (isIdentStart(text[i + s.length]) || isDigit(text[i + s.length]))) fail(l, cc, `invalid number`);
      push('number', s, l, cc);
      col += s.length;
      i += s.length;
      continue;
    }
    if (c === '$' && (text[i + 1] === '"' || text[i + 1] === '`')) {
      // Position (line, col) of an offset inside the template, counted from its start.
      const posAt = (offset: number): { line: number; col: number } => {
        let ln = l;
        let cl = cc;
        for (let k = i; k < offset; k++) {
          if (text[k] === '\n') {
            ln++;
            cl = 1;
          } else cl++;
        }
        return { line: ln, col: cl };
      };
      let read: ReturnType<typeof readTemplate>;
      try {
        read = readTemplate(text, i);
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        const at = posAt(e.offset);
        return fail(at.line, at.col, e.message);
      }
      const parts: TemplatePart[] = read.parts.map((p) => ('lit' in p ? p : { src: p.src, ...posAt(p.offset) }));
      out.push({ kind: 'template', text: text.slice(i, read.end), line: l, col: cc, nl, space, parts });
      nl = false;
      space = false;
      const end = posAt(read.end);
      line = end.line;
      col = end.col;
      i = read.end;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let val = '';
      while (true) {
        if (j >= text.length || text[j] === '\n') fail(l, cc, 'non-terminated string');
        const d = text[j];
        if (d === '"') break;
        if (d === '\\') {
          const e = text[j + 1];
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
          if (e !== undefined && simple[e] !== undefined) {
            val += simple[e];
            j += 2;
            continue;
          }
          if (e === 'u') {
            const hex = text.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(l, cc + (j - i), 'illegal unicode escape in string');
            val += String.fromCharCode(parseInt(hex, 16));
            j += 6;
            continue;
          }
          fail(l, cc + (j - i), `illegal escape sequence \\${e ?? ''} in string`);
        }
        val += d;
        j++;
      }
      push('string', val, l, cc);
      col += j + 1 - i;
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j < 0) fail(l, cc, 'non-terminated raw string');
      const val = text.slice(i + 1, j);
      push('string', val, l, cc, true);
      for (const ch of val) {
        if (ch === '\n') {
          line++;
          col = 1;
        } else col++;
      }
      col += 2;
      i = j + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT3.has(text.slice(i, i + 3))) {
      push('punct', text.slice(i, i + 3), l, cc);
      i += 3;
      col += 3;
      continue;
    }
    if (PUNCT2.has(two)) {
      push('punct', two, l, cc);
      i += 2;
      col += 2;
      continue;
    }
    if (PUNCT1.has(c)) {
      push('punct', c, l, cc);
      i++;
      col++;
      continue;
    }
    fail(l, cc, `illegal token ${JSON.stringify(c)}`);
  }
  push('eof', '', line, col);
  return out;
}
