/** Typed errors of the Rego engine: compile problems (with file:line:col) and evaluation errors. */

export interface RegoProblem {
  file: string;
  line: number;
  col: number;
  message: string;
  /** OPA-style code: rego_parse_error, rego_compile_error, rego_type_error, rego_unsafe_var_error, rego_recursion_error. */
  code: string;
}

export interface Loc {
  file: string;
  line: number;
  col: number;
}

export function formatProblem(p: RegoProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.code}: ${p.message}`;
}

export class RegoCompileError extends Error {
  readonly problems: RegoProblem[];
  constructor(problems: RegoProblem[]) {
    const n = problems.length;
    super(`${n} error${n === 1 ? '' : 's'} occurred:\n` + problems.map(formatProblem).join('\n'));
    this.name = 'RegoCompileError';
    this.problems = problems;
  }
}

export function problem(loc: Loc, code: string, message: string): RegoProblem {
  return { file: loc.file, line: loc.line, col: loc.col, code, message };
}

export class RegoEvalError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  constructor(code: string, message: string, loc?: Loc) {
    super(loc ? `${loc.file}:${loc.line}:${loc.col}: ${code}: ${message}` : `${code}: ${message}`);
    this.name = 'RegoEvalError';
    this.code = code;
    if (loc) {
      this.file = loc.file;
      this.line = loc.line;
      this.col = loc.col;
    }
  }
}
