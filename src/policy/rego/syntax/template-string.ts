/**
 * OPA 1.x template strings: `$"… {expr} …"` and `` $`… {expr} …` ``. The lexer reads one into
 * literal text and expression sources (with their positions); the parser parses each expression
 * as a literal (a term, possibly with `with` modifiers) and writes the template as
 * `internal.template_string([text, {x | x := expr}, …])` (as OPA does): an expression with no value
 * prints `<undefined>`, strings print raw and other values in Rego syntax (eval/template-string.ts).
 * `\{` and `\}` are literal braces in both forms; `$"…"` also has the usual string escapes.
 */

export type TemplatePart = { lit: string } | { src: string; line: number; col: number };

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

export class TemplateError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Index just past a string literal starting at `i` (`"` or backtick). */
function skipString(text: string, i: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < text.length && text[j] !== q) j += q === '"' && text[j] === '\\' ? 2 : 1;
  if (j >= text.length) throw new TemplateError(i, 'non-terminated string');
  return j + 1;
}

/** Index just past the `}` that closes an expression starting after the `{` at `i`. */
function skipExpr(text: string, i: number): number {
  let depth = 1;
  let j = i + 1;
  while (j < text.length) {
    const ch = text[j];
    if (ch === '$' && (text[j + 1] === '"' || text[j + 1] === '`')) {
      j = readTemplate(text, j).end;
      continue;
    }
    if (ch === '"' || ch === '`') {
      j = skipString(text, j);
      continue;
    }
    if (ch === '{') depth++;
    if (ch === '}' && --depth === 0) return j + 1;
    j++;
  }
  throw new TemplateError(i, 'non-terminated template expression');
}

/**
 * Reads the template string starting at `i` (`$"` or `` $` ``); returns its parts, with expression
 * sources as offsets (callers turn them into line/col), and the index just past it.
 */
export function readTemplate(text: string, i: number): { parts: Array<{ lit: string } | { src: string; offset: number }>; end: number } {
  const raw = text[i + 1] === '`';
  const close = raw ? '`' : '"';
  const parts: Array<{ lit: string } | { src: string; offset: number }> = [];
  let lit = '';
  let j = i + 2;
  for (;;) {
    if (j >= text.length || (!raw && text[j] === '\n')) throw new TemplateError(i, 'non-terminated template string');
    const ch = text[j];
    if (ch === close) break;
    if (ch === '\\') {
      const e = text[j + 1];
      if (e === '{' || e === '}') {
        lit += e;
        j += 2;
        continue;
      }
      if (raw) {
        lit += ch;
        j++;
        continue;
      }
      if (e !== undefined && SIMPLE[e] !== undefined) {
        lit += SIMPLE[e];
        j += 2;
        continue;
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
        lit += String.fromCharCode(parseInt(text.slice(j + 2, j + 6), 16));
        j += 6;
        continue;
      }
      throw new TemplateError(j, `illegal escape sequence \\${e ?? ''} in template string`);
    }
    if (ch === '{') {
      const end = skipExpr(text, j);
      if (lit) parts.push({ lit });
      lit = '';
      parts.push({ src: text.slice(j + 1, end - 1), offset: j + 1 });
      j = end;
      continue;
    }
    lit += ch;
    j++;
  }
  if (lit || parts.length === 0) parts.push({ lit });
  return { parts, end: j + 1 };
}
