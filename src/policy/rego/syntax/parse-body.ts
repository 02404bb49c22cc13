/** Parses rule and comprehension bodies: literals (`not`, `some`, `every`, `:=`, `=`) and `with` modifiers. */
import type { Loc } from '../errors.ts';
import type { Body, Expr, ExprBody, Term, VarTerm, With } from './ast.ts';
import { Cursor, describe } from './cursor.ts';
import { builtinCall, parseRefTerm, parseRelation, parseTermIn, parseTermInKV } from './parse-term.ts';

/** Parses literals up to `close` (the opening token already consumed) and consumes `close`. */
export function parseBody(c: Cursor, close: '}' | ']'): Body {
  const saved = c.depth;
  c.depth = 0;
  const body: Body = [];
  const open = c.toks[Math.max(0, c.pos - 1)];
  for (;;) {
    while (c.accept(';'));
    if (c.is(close)) break;
    if (c.kind() === 'eof') c.fail(`expected \`${close}\` but got end of file`);
    body.push(parseLiteral(c));
    if (c.is(close)) break;
    if (c.accept(';')) continue;
    if (c.tok.nl) continue;
    c.fail(`unexpected ${describe(c.tok)}, expected \`;\`, a newline or \`${close}\``);
  }
  c.depth = saved;
  if (body.length === 0) c.fail('found empty body', open);
  c.expect(close);
  return body;
}

/** Parses a query: literals separated by `;` or newlines up to the end of the text. */
export function parseQueryBody(c: Cursor): Body {
  const body: Body = [];
  for (;;) {
    while (c.accept(';'));
    if (c.kind() === 'eof') break;
    body.push(parseLiteral(c));
    if (c.kind() === 'eof') break;
    if (c.accept(';')) continue;
    if (c.tok.nl) continue;
    c.fail(`unexpected ${describe(c.tok)}, expecting EOF`);
  }
  if (body.length === 0) c.fail('empty query');
  return body;
}

export function parseLiteral(c: Cursor): Expr {
  const loc = c.loc();
  let negated = false;
  if (c.isKw('not')) {
    c.next();
    negated = true;
    for (const kw of ['some', 'every']) if (c.isKw(kw)) c.fail(`unexpected ${kw} keyword: illegal negation of '${kw}'`);
  }
  if (negated && c.notBody) return parseNotBody(c, loc);
  const e = parseExprBody(c);
  return { loc, negated, withs: parseWiths(c), e };
}

/**
 * OPA 1.x's body negation: `not { a; b }` and `not expr` hold when the body has no solution, its
 * dynamic operands included (an undefined operand makes `not` true). Written as the equivalent
 * `[true | body] == []`, so the body's variables are bound outside it or local to it, as in OPA.
 */
function parseNotBody(c: Cursor, loc: Loc): Expr {
  let body: Body;
  if (c.is('{')) {
    const open = c.next();
    c.enter(open);
    try {
      body = parseBody(c, '}');
    } finally {
      c.leave();
    }
  } else body = [{ loc, negated: false, withs: [], e: parseExprBody(c) }];
  const compr: Term = { t: 'arraycompr', term: { t: 'scalar', value: true, loc }, body, loc };
  const empty: Term = { t: 'array', items: [], loc };
  return { loc, negated: false, withs: parseWiths(c), e: { k: 'term', term: builtinCall('equal', [compr, empty], loc, '==') } };
}

function parseWiths(c: Cursor): With[] {
  const withs: With[] = [];
  while (c.isKw('with')) {
    const wloc = c.loc();
    c.next();
    const target = parseRefTerm(c);
    if (!c.isKw('as')) c.fail(`expected \`as\` but got ${describe(c.tok)}`);
    c.next();
    const value = parseTermInKV(c);
    withs.push({ target, value, loc: wloc });
  }
  return withs;
}

function parseExprBody(c: Cursor): ExprBody {
  if (c.isKw('some')) {
    const kw = c.next();
    const terms = [parseRelation(c)];
    while (c.accept(',')) terms.push(parseRelation(c));
    if (c.isKw('in')) {
      c.next();
      if (terms.length > 2) c.fail('too many terms before `in` in `some`', kw);
      // As OPA's parser (left-associative `in`): `some x in xs in ys` is `some (x in xs) in ys`.
      let coll = parseRelation(c);
      while (c.isKw('in') && c.sameExpr()) {
        const inTok = c.next();
        const last = terms.length - 1;
        terms[last] = builtinCall('internal.member_2', [terms[last], coll], c.loc(inTok), 'in');
        coll = parseRelation(c);
      }
      return terms.length === 2 ? { k: 'somein', key: terms[0], value: terms[1], coll } : { k: 'somein', value: terms[0], coll };
    }
    const vars: VarTerm[] = terms.map((t) => (t.t === 'var' ? t : c.fail('expected a variable name after `some`', kw)));
    return { k: 'some', vars };
  }
  if (c.isKw('every')) {
    const kw = c.next();
    const terms = [parseRelation(c)];
    if (c.accept(',')) terms.push(parseRelation(c));
    for (const t of terms) if (t.t !== 'var') c.fail('`every` expects variables before `in`', kw);
    if (!c.isKw('in')) c.fail(`expected \`in\` but got ${describe(c.tok)}`);
    c.next();
    const coll = parseRelation(c);
    const open = c.expect('{');
    c.enter(open);
    let body: Body;
    try {
      body = parseBody(c, '}');
    } finally {
      c.leave();
    }
    return terms.length === 2 ? { k: 'every', key: terms[0], value: terms[1], coll, body } : { k: 'every', value: terms[0], coll, body };
  }
  // `k, v in xs` (and chains `k, v in xs in ys`) as an expression.
  const lhs: Term = parseTermInKV(c);
  if (c.is(',') && c.sameExpr()) c.fail(`unexpected \`,\``);
  if (c.is(':=') && c.sameExpr()) {
    c.next();
    return { k: 'assign', left: lhs, right: parseTermInKV(c) };
  }
  if (c.is('=') && c.sameExpr()) {
    c.next();
    return { k: 'unify', left: lhs, right: parseTermInKV(c) };
  }
  return { k: 'term', term: lhs };
}
