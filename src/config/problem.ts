/** A problem found in a configuration file: where it is, what is wrong, and how to fix it. */
import { quoteText } from './unsafe-text.ts';

export type Severity = 'error' | 'warning';

export interface ConfigProblem {
  /** File the problem is in (a path inside a repo, possibly prefixed `owner/repo:`). */
  readonly file: string;
  /** 1-based line; 1 when the problem concerns the whole file. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
  readonly severity: Severity;
  /** Path of the field in the document, e.g. `services.api.depends_on[1]`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export type PathSegment = string | number;

/** `['services', 'api', 'depends_on', 1]` → `services.api.depends_on[1]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${quoteText(seg)}]`;
  }
  return out;
}

/** An error about a file as a whole (it cannot be read, parsed or used): placed at 1:1, with no field path. */
export function fileProblem(file: string, message: string, hint?: string): ConfigProblem {
  return { file, line: 1, col: 1, severity: 'error', path: '', message, ...(hint === undefined ? {} : { hint }) };
}

export function hasErrors(problems: readonly ConfigProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Stable order: file, line, column, then message. */
export function sortProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) =>
      cmp(a.file, b.file) || a.line - b.line || a.col - b.col || cmp(a.severity, b.severity) || cmp(a.message, b.message),
  );
}

/** `file:line:col: severity: message` (+ an indented hint line). */
export function formatProblem(p: ConfigProblem): string {
  const at = p.path === '' ? '' : ` (at ${p.path})`;
  const head = `${p.file}:${p.line}:${p.col}: ${p.severity}: ${p.message}${at}`;
  return p.hint === undefined ? head : `${head}\n    hint: ${p.hint}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
