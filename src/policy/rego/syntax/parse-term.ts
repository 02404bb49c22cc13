/** Parses Rego terms: scalars, refs, calls, composites, comprehensions and infix operators. */
import { D, keyOf } from '../value.ts';
import type { Body, CallTerm, RefTerm, Term, VarTerm } from './ast.ts';
import { Cursor, KEYWORDS, describe, isRecoverable } from './cursor.ts';
import { parseBody, parseLiteral } from './parse-body.ts';
import { tokenize } from './lexer.ts';
import type { TemplatePart } from './template-string.ts';
import { RegoCompileError } from '../errors.ts';
import type { Loc } from '../errors.ts';

const RELATION: Record<string, string> = { '==': 'equal', '!=': 'neq', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const ARITH: Record<string, string> = { '+': 'plus', '-': 'minus' };
const FACTOR: Record<string, string> = { '*': 'mul', '/': 'div', '%': 'rem' };

export function builtinCall(name: string, args: Term[], loc: Loc, op?: string): CallTerm {
  const parts = name.split('.');
  const head: VarTerm = { t: 'var', name: parts[0], loc };
  const fn: VarTerm | RefTerm =
    parts.length === 1 ? head : { t: 'ref', head, path: parts.slice(1).map((p) => ({ t: 'scalar', value: p, loc })), loc };
  return { t: 'call', fn, args, loc, ...(op ? { op } : {}) };
}

/** Lowest precedence: `x in xs` (membership). */
export function parseTermIn(c: Cursor): Term {
  let lhs = parseRelation(c);
  while (c.isKw('in') && c.sameExpr()) {
    const loc = c.loc();
    c.next();
    const rhs = parseRelation(c);
    lhs = builtinCall('internal.member_2', [lhs, rhs], loc, 'in');
  }
  return lhs;
}

/**
 * OPA's parseTermInfixCall: like parseTermIn, and also `k, v in xs` (membership with key), as allowed
 * on the right of `:=`/`=`, in rule values and `with` values (`b := 0, 2 in [5, 6]`).
 */
export function parseTermInKV(c: Cursor): Term {
  const lhs = parseTermIn(c);
  if (!(c.is(',') && c.tok.kind === 'punct' && c.sameExpr())) return lhs;
  const start = c.pos;
  const depth = c.depth;
  c.next();
  try {
    const v = parseRelation(c);
    if (c.isKw('in') && c.sameExpr()) {
      const inTok = c.next();
      let t: Term = builtinCall('internal.member_3', [lhs, v, parseRelation(c)], c.loc(inTok), 'in');
      while (c.isKw('in') && c.sameExpr()) {
        const loc = c.loc();
        c.next();
        t = builtinCall('internal.member_2', [t, parseRelation(c)], loc, 'in');
      }
      return t;
    }
  } catch (e) {
    if (!isRecoverable(e)) throw e;
  }
  c.pos = start;
  c.depth = depth;
  return lhs;
}

/** Infix operators by binding strength (all left-associative): relations bind loosest, factors tightest. */
const INFIX: ReadonlyArray<Readonly<Record<string, string>>> = [RELATION, { '|': 'or' }, { '&': 'and' }, ARITH, FACTOR];

/**
 * Binding strength of the infix operator at the cursor, or -1 when there is none. As in OPA's
 * parser, an infix operator continues the expression on the next line too (`a\n-2 > b` is
 * `a - 2 > b`): only a term, not an operator, starts a new literal.
 */
function infixLevel(c: Cursor): number {
  if (c.tok.kind !== 'punct') return -1;
  return INFIX.findIndex((ops) => Object.hasOwn(ops, c.tok.text));
}

/**
 * Relations, `|`, `&`, `+ -` and `* / %` by precedence climbing: one frame per operator level in use
 * rather than one per level of the grammar, so deeply nested terms need less stack.
 */
export function parseRelation(c: Cursor, minLevel = 0): Term {
  let lhs = parseRefTerm(c);
  for (let level = infixLevel(c); level >= minLevel; level = infixLevel(c)) {
    const op = c.next();
    const rhs = parseRelation(c, level + 1);
    lhs = builtinCall(INFIX[level][op.text], [lhs, rhs], c.loc(op), op.text);
  }
  return lhs;
}

/** A primary term followed by any `.x`, `[x]` and `(args)` suffixes; read once per token position. */
export function parseRefTerm(c: Cursor): Term {
  const start = c.pos;
  const known = c.terms.get(start);
  if (known !== undefined) {
    if ('error' in known) throw known.error;
    c.pos = known.end;
    return known.term;
  }
  c.enter(c.tok);
  try {
    const term = readRefTerm(c);
    c.terms.set(start, { term, end: c.pos });
    return term;
  } catch (e) {
    if (isRecoverable(e)) c.terms.set(start, { error: e });
    throw e;
  } finally {
    c.leave();
  }
}

function readRefTerm(c: Cursor): Term {
  let term = parsePrimary(c);
  if (term.t === 'scalar') return term;
  for (;;) {
    const t = c.tok;
    if (t.space) break;
    if (c.is('.') && t.kind === 'punct') {
      c.next();
      if (c.tok.kind !== 'ident') c.fail(`expected identifier after \`.\` but got ${describe(c.tok)}`);
      if (c.tok.space) c.fail('invalid whitespace between . and identifier');
      const id = c.next();
      term = extendRef(term, { t: 'scalar', value: id.text, loc: c.loc(id) });
    } else if (c.is('[') && t.kind === 'punct') {
      c.next();
      c.depth++;
      const key = parseTermIn(c);
      c.depth--;
      c.expect(']');
      term = extendRef(term, key);
    } else if (c.is('(') && t.kind === 'punct' && (term.t === 'var' || (term.t === 'ref' && term.head.t === 'var'))) {
      c.next();
      const args = parseList(c, ')');
      term = { t: 'call', fn: term, args, loc: term.loc };
    } else break;
  }
  return term;
}

function extendRef(term: Term, item: Term): RefTerm {
  if (term.t === 'ref') return { ...term, path: [...term.path, item] };
  return { t: 'ref', head: term, path: [item], loc: term.loc };
}

/** Comma-separated terms up to `close` (trailing comma allowed); the opening token is consumed. */
export function parseList(c: Cursor, close: string): Term[] {
  c.depth++;
  const items: Term[] = [];
  while (!c.is(close)) {
    items.push(parseTermIn(c));
    if (!c.accept(',')) break;
  }
  c.depth--;
  c.expect(close);
  return items;
}

function parsePrimary(c: Cursor): Term {
  const t = c.tok;
  const loc = c.loc();
  if (t.kind === 'number') {
    c.next();
    return { t: 'scalar', value: new D(t.text), loc };
  }
  if (t.kind === 'string') {
    c.next();
    return { t: 'scalar', value: t.text, loc };
  }
  if (t.kind === 'template') {
    c.next();
    return templateTerm(c, t.parts ?? [], loc);
  }
  if (t.kind === 'ident') {
    if (t.text === 'true' || t.text === 'false') {
      c.next();
      return { t: 'scalar', value: t.text === 'true', loc };
    }
    if (t.text === 'null') {
      c.next();
      return { t: 'scalar', value: null, loc };
    }
    if (t.text === 'set' && c.is('(', c.peek()) && !c.peek().space && c.is(')', c.peek(2))) {
      c.next();
      c.next();
      c.next();
      return { t: 'set', items: [], loc };
    }
    if (KEYWORDS.has(t.text) && !(t.text === 'contains' && c.is('(', c.peek()) && !c.peek().space)) c.fail(`unexpected keyword \`${t.text}\``);
    c.next();
    return { t: 'var', name: t.text, loc };
  }
  if (t.kind === 'punct') {
    switch (t.text) {
      case '-': {
        c.next();
        if (c.tok.kind === 'number') {
          const n = c.next();
          return { t: 'scalar', value: new D(n.text).neg(), loc };
        }
        return c.fail('unary - can only be used with numeric literals', t);
      }
      case '(': {
        c.next();
        c.depth++;
        // `(k, v in xs)`: membership with key is a term inside parentheses.
        const inner = parseTermInKV(c);
        c.depth--;
        c.expect(')');
        return inner;
      }
      case '[':
        return parseArray(c);
      case '{':
        return parseBrace(c);
    }
  }
  return c.fail(`unexpected ${describe(t)}`);
}

/**
 * `[` … `]`: as OPA's parser, a comprehension only when a single term (no infix operator; use
 * parentheses) is followed by `|` and a body; otherwise an array whose items may use `|`.
 */
function parseArray(c: Cursor): Term {
  const loc = c.loc();
  c.next();
  c.depth++;
  if (c.is(']')) {
    c.depth--;
    c.next();
    return { t: 'array', items: [], loc };
  }
  const start = c.pos;
  const depth = c.depth;
  const head = parseRefTerm(c);
  if (c.is('|')) {
    const body = tryBody(c, ']', start, depth);
    if (!(body instanceof RegoCompileError)) return { t: 'arraycompr', term: head, body, loc };
    return withFallback(body, () => finishArray(c, loc, []));
  }
  c.pos = start;
  return finishArray(c, loc, []);
}

function finishArray(c: Cursor, loc: Loc, items: Term[]): Term {
  while (!c.is(']')) {
    items.push(parseTermIn(c));
    if (!c.accept(',')) break;
  }
  c.depth--;
  c.expect(']', '`]` or `,`');
  return { t: 'array', items, loc };
}

/** Parses a comprehension body after `|`; on failure restores the cursor to `start` and returns the error. */
function tryBody(c: Cursor, close: '}' | ']', start: number, depth: number): Body | RegoCompileError {
  c.next();
  c.depth--;
  try {
    return parseBody(c, close);
  } catch (e) {
    if (!isRecoverable(e)) throw e;
    c.pos = start;
    c.depth = depth;
    return e;
  }
}

/** Tries the non-comprehension reading; if that fails too, the comprehension's error is the better one. */
function withFallback(err: RegoCompileError, f: () => Term): Term {
  try {
    return f();
  } catch (e) {
    if (isRecoverable(e)) throw err;
    throw e;
  }
}

/** `{` … `}`: object, set, or their comprehensions (same single-term rule as arrays). */
function parseBrace(c: Cursor): Term {
  const loc = c.loc();
  c.next();
  c.depth++;
  if (c.is('}')) {
    c.depth--;
    c.next();
    return { t: 'object', entries: [], loc };
  }
  const start = c.pos;
  const depth = c.depth;
  const head = parseRefTerm(c);
  if (c.is('|')) {
    const body = tryBody(c, '}', start, depth);
    if (!(body instanceof RegoCompileError)) return { t: 'setcompr', term: head, body, loc };
    return withFallback(body, () => finishBrace(c, loc));
  }
  if (c.is(':')) {
    c.next();
    const value = parseRefTerm(c);
    if (c.is('|')) {
      const body = tryBody(c, '}', start, depth);
      if (!(body instanceof RegoCompileError)) return { t: 'objectcompr', key: head, value, body, loc };
      return withFallback(body, () => finishBrace(c, loc));
    }
  }
  c.pos = start;
  return finishBrace(c, loc);
}

function finishBrace(c: Cursor, loc: Loc): Term {
  const first = parseTermIn(c);
  if (c.accept(':')) {
    const entries: Array<[Term, Term]> = [[first, parseTermIn(c)]];
    while (c.accept(',')) {
      if (c.is('}')) break;
      const k = parseTermIn(c);
      c.expect(':');
      const v = parseTermIn(c);
      // As OPA's object literal (ast.Object insert): a repeated constant key keeps the last value.
      const same = k.t === 'scalar' ? entries.findIndex(([ek]) => ek.t === 'scalar' && keyOf(ek.value) === keyOf(k.value)) : -1;
      if (same >= 0) entries[same] = [entries[same][0], v];
      else entries.push([k, v]);
    }
    c.depth--;
    c.expect('}', '`}` or `,`');
    return { t: 'object', entries, loc };
  }
  const items = [first];
  while (c.accept(',')) {
    if (c.is('}')) break;
    items.push(parseTermIn(c));
  }
  c.depth--;
  c.expect('}', '`}` or `,`');
  return { t: 'set', items, loc };
}

/**
 * A template string as `internal.template_string([text, {x | x := expr}, …])`; each expression is
 * parsed from its own source (positions kept) as a literal, so that it may carry `with` modifiers.
 */
function templateTerm(c: Cursor, parts: TemplatePart[], loc: Loc): Term {
  const items: Term[] = parts.map((p, i) => {
    if ('lit' in p) return { t: 'scalar', value: p.lit, loc };
    const toks = tokenize(c.file, p.src).map((k) => ({ ...k, col: k.line === 1 ? k.col + p.col - 1 : k.col, line: k.line + p.line - 1 }));
    const sub = new Cursor(c.file, toks);
    sub.notBody = c.notBody;
    const at = { file: c.file, line: p.line, col: p.col };
    if (sub.kind() === 'eof') sub.fail('empty template expression');
    const lit = parseLiteral(sub);
    if (sub.kind() !== 'eof') sub.fail(`unexpected ${describe(sub.tok)} in template expression`);
    if (lit.negated || lit.e.k !== 'term') sub.fail('a template expression must be a term', toks[0]);
    const x: VarTerm = { t: 'var', name: `__template${i}__`, loc: at };
    const body: Body = [{ loc: at, negated: false, withs: lit.withs, e: { k: 'assign', left: x, right: (lit.e as { term: Term }).term } }];
    return { t: 'setcompr', term: x, body, loc: at };
  });
  return builtinCall('internal.template_string', [{ t: 'array', items, loc }], loc);
}
