/** A token cursor with position-aware errors, shared by the parser files. */
import { RegoCompileError, problem } from '../errors.ts';
import type { Loc } from '../errors.ts';
import type { Token } from './lexer.ts';
import type { Term } from './ast.ts';

/**
 * Deepest nesting of terms (brackets, calls, comprehensions) and `every` bodies a module may use. The
 * parser, the compiler and the evaluator recurse over it; real policies nest a few levels.
 */
export const MAX_REGO_NESTING = 256;

export const KEYWORDS = new Set(['package', 'import', 'as', 'default', 'else', 'not', 'with', 'some', 'in', 'every', 'if', 'contains']);

export class Cursor {
  pos = 0;
  /** Bracket nesting inside the current expression; newlines do not end an expression when > 0. */
  depth = 0;
  /** `not` negates a whole body (`import future.keywords.not` or `rego.v2`; see parse-body.ts). */
  notBody = false;
  /** How deeply terms and bodies nest at the current token (see MAX_REGO_NESTING). */
  private nesting = 0;
  /**
   * Terms already parsed from a token position (or the error they gave): a term's reading does not depend on
   * what surrounds it, and the parser re-reads a term after trying a comprehension, which without this memo
   * would take time exponential in the nesting.
   */
  readonly terms = new Map<number, { term: Term; end: number } | { error: RegoCompileError }>();
  constructor(
    readonly file: string,
    readonly toks: Token[],
  ) {}
  get tok(): Token {
    return this.toks[this.pos];
  }
  /** Kind of the current token (a method, so TypeScript does not narrow across `next()`). */
  kind(): Token['kind'] {
    return this.toks[this.pos].kind;
  }
  peek(n = 1): Token {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)];
  }
  next(): Token {
    const t = this.toks[this.pos];
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  loc(t: Token = this.tok): Loc {
    return { file: this.file, line: t.line, col: t.col };
  }
  is(text: string, t: Token = this.tok): boolean {
    return (t.kind === 'punct' || t.kind === 'ident') && t.text === text;
  }
  isKw(text: string, t: Token = this.tok): boolean {
    return t.kind === 'ident' && t.text === text;
  }
  /** The current token continues the expression on the previous line (no newline, or inside brackets). */
  sameExpr(): boolean {
    return !this.tok.nl || this.depth > 0;
  }
  accept(text: string): boolean {
    if (this.is(text)) {
      this.next();
      return true;
    }
    return false;
  }
  expect(text: string, what?: string): Token {
    if (!this.is(text)) this.fail(`expected ${what ?? JSON.stringify(text)} but got ${describe(this.tok)}`);
    return this.next();
  }
  /** One nesting level deeper at `t` (paired with leave()); past MAX_REGO_NESTING it is a parse error, not a stack overflow. */
  enter(t: Token): void {
    if (this.nesting >= MAX_REGO_NESTING) {
      throw new NestingTooDeep([problem(this.loc(t), 'rego_parse_error', `nesting too deep at ${t.line}:${t.col} (limit ${MAX_REGO_NESTING})`)]);
    }
    this.nesting++;
  }
  leave(): void {
    this.nesting--;
  }
  fail(message: string, t: Token = this.tok): never {
    throw new RegoCompileError([problem(this.loc(t), 'rego_parse_error', message)]);
  }
}

/** Too deep to read at all: no other reading of the same tokens is tried. */
export class NestingTooDeep extends RegoCompileError {}

/** A parse error after which another reading of the same tokens may be tried (not NestingTooDeep). */
export function isRecoverable(e: unknown): e is RegoCompileError {
  return e instanceof RegoCompileError && !(e instanceof NestingTooDeep);
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of file';
  if (t.kind === 'string') return 'string';
  if (t.kind === 'number') return `number ${t.text}`;
  if (t.kind === 'ident') return KEYWORDS.has(t.text) ? `keyword \`${t.text}\`` : `identifier ${t.text}`;
  return `\`${t.text}\``;
}
