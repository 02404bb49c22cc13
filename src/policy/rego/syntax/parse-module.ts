/** Parses a Rego module: package, imports and rules (v1 syntax, and v0 syntax where allowed). */
import { RegoCompileError, problem } from '../errors.ts';
import type { Body, ElseClause, Expr, Import, Module, Rule, Term } from './ast.ts';
import { Cursor, KEYWORDS, describe, isRecoverable } from './cursor.ts';
import { tokenize } from './lexer.ts';
import type { Comment, Token } from './lexer.ts';
import { attachAnnotations, parseMetadataBlocks } from './annotations.ts';
import { parseBody, parseLiteral } from './parse-body.ts';
import { parseList, parseRefTerm, parseTermIn, parseTermInKV } from './parse-term.ts';

/**
 * `regoVersion`: 'auto' (default) accepts modules without imports in v1 or v0 syntax (v0 semantics
 * when any rule body lacks `if`); 'v1' holds every module that does not import future.keywords
 * to Rego v1 as `import rego.v1` does. `comments` receives the module's comments (rego.parse_module reports them).
 */
export function parseModuleText(file: string, text: string, regoVersion: 'auto' | 'v1' = 'auto', comments: Comment[] = []): Module {
  const c = new Cursor(file, tokenize(file, text, comments));
  if (!c.isKw('package')) c.fail(`expected \`package\` but got ${describe(c.tok)}`);
  const pkgLoc = c.loc();
  c.next();
  const pkg = parseDottedPath(c);
  if (pkg[0] === 'data') pkg.shift();
  const imports: Import[] = [];
  while (c.isKw('import')) imports.push(parseImport(c));
  checkImports(imports);
  const future = imports.some((i) => i.path[0] === 'future' && i.path.join('.') !== 'future.keywords.not');
  const v2 = imports.some((i) => i.path.join('.') === 'rego.v2');
  const strictV1 = v2 || imports.some((i) => i.path.join('.') === 'rego.v1') || (regoVersion === 'v1' && !future);
  // OPA 1.x's `future.keywords.not` (and `rego.v2`): `not` negates its whole expression as a body.
  c.notBody = v2 || imports.some((i) => i.path.join('.') === 'future.keywords.not');
  const rules: Rule[] = [];
  // As in OPA, statements need no newline between them (`r["s"] p1 { … }` is two rules).
  while (c.kind() !== 'eof') {
    if (c.isKw('package')) c.fail('unexpected `package`: one package per module');
    if (c.isKw('import')) c.fail('imports must come before rules');
    rules.push(...parseRule(c, strictV1));
  }
  const usesV0Body = rules.some((r) => !r.usedIf);
  const version = strictV1 ? 'v1' : future || usesV0Body ? 'v0' : 'v1';
  const blocks = parseMetadataBlocks(file, comments);
  const statements = [
    { line: pkgLoc.line, target: { k: 'package' as const } },
    ...imports.map((i) => ({ line: i.loc.line, target: { k: 'import' as const } })),
    ...rules.map((r, index) => ({ line: r.loc.line, target: { k: 'rule' as const, index } })),
  ];
  const attached = attachAnnotations(blocks.blocks, statements);
  const problems = [...blocks.problems, ...attached.problems];
  if (problems.length) throw new RegoCompileError(problems);
  return { file, pkg, pkgLoc, imports, rules, version, strictV1, annotations: attached.annotations };
}

function parseDottedPath(c: Cursor): string[] {
  const out: string[] = [];
  if (c.kind() !== 'ident') c.fail(`expected a name but got ${describe(c.tok)}`);
  out.push(c.next().text);
  for (;;) {
    if (c.is('.') && !c.tok.space) {
      c.next();
      // OPA's words (Parser.illegal), which rego.parse_module's callers see: `package foo.` is
      // "unexpected eof token: expected ident".
      if (c.kind() !== 'ident') c.fail(`unexpected ${opaTokenName(c.tok)}: expected ident`);
      if (c.tok.space) c.fail('invalid whitespace between . and identifier');
      out.push(c.next().text);
    } else if (c.is('[') && !c.tok.space) {
      c.next();
      if (c.kind() !== 'string') c.fail(`expected string but got ${describe(c.tok)}`);
      out.push(c.next().text);
      c.expect(']');
    } else return out;
  }
}

/** A token as OPA's parser names it in "unexpected … token" messages. */
function opaTokenName(t: Token): string {
  if (t.kind === 'eof') return 'eof token';
  if (t.kind === 'number' || t.kind === 'string') return `${t.kind} token`;
  if (t.kind === 'ident') return `${t.text} ${KEYWORDS.has(t.text) ? 'keyword' : 'token'}`;
  return `${t.text} token`;
}

function parseImport(c: Cursor): Import {
  const loc = c.loc();
  c.next();
  const path = parseDottedPath(c);
  if (!['data', 'input', 'future', 'rego'].includes(path[0])) c.fail(`invalid import path: must begin with input or data`);
  let alias: string | undefined;
  if (c.isKw('as') && !c.tok.nl) {
    c.next();
    if (c.kind() !== 'ident') c.fail(`expected alias name but got ${describe(c.tok)}`);
    alias = c.next().text;
  }
  const joined = path.join('.');
  if (path[0] === 'future' && !(joined === 'future.keywords' || /^future\.keywords\.(in|every|if|contains|not)$/.test(joined)))
    c.fail(`invalid import ${joined}, must be one of future.keywords, future.keywords.{in,every,if,contains,not}`);
  if (path[0] === 'rego' && joined !== 'rego.v1' && joined !== 'rego.v2') c.fail(`invalid import ${joined}, must be rego.v1 or rego.v2`);
  return { loc, path, ...(alias ? { alias } : {}) };
}

function checkImports(imports: Import[]): void {
  let seenRego = false;
  let seenFuture = false;
  for (const imp of imports) {
    const isRego = imp.path[0] === 'rego';
    const isFuture = imp.path[0] === 'future';
    if ((isRego && (seenRego || seenFuture)) || (isFuture && seenRego))
      throw new RegoCompileError([problem(imp.loc, 'rego_parse_error', 'this import shadows previous import')]);
    seenRego ||= isRego;
    seenFuture ||= isFuture;
  }
}

/** A rule; OPA's chained bodies (`p { a } { b }`) give one rule per body, sharing the head. */
function parseRule(c: Cursor, strictV1: boolean): Rule[] {
  const loc = c.loc();
  let isDefault = false;
  if (c.isKw('default')) {
    c.next();
    isDefault = true;
  }
  const headTok = c.tok;
  let headTerm = parseRefTerm(c);
  // OPA's rule heads allow whitespace before the argument list: `f (x) := …`.
  if (c.is('(') && c.tok.kind === 'punct' && c.tok.space && !c.tok.nl && (headTerm.t === 'var' || (headTerm.t === 'ref' && headTerm.head.t === 'var'))) {
    c.next();
    headTerm = { t: 'call', fn: headTerm, args: parseList(c, ')'), loc: headTerm.loc };
  }
  let head: Term[];
  let args: Term[] | undefined;
  const toHead = (t: Term): Term[] =>
    t.t === 'var' ? [t] : t.t === 'ref' && t.head.t === 'var' ? [t.head, ...t.path] : c.fail('invalid rule head');
  if (headTerm.t === 'call') {
    head = toHead(headTerm.fn);
    args = headTerm.args;
  } else head = toHead(headTerm);
  if (strictV1 && head[0].t === 'var' && (head[0].name === 'input' || head[0].name === 'data') && head.length === 1)
    c.fail(`${head[0].name} cannot be shadowed`, c.toks[c.pos - 1]);
  const rule: Rule = { loc, isDefault, head, assign: false, body: [], usedIf: true, elses: [], ...(args ? { args } : {}) };
  if (isDefault) {
    if (c.is(':=') || c.is('=')) {
      rule.assign = c.next().text === ':=';
      rule.value = parseTermInKV(c);
    } else c.fail(`expected \`:=\` or \`=\` after default rule head but got ${describe(c.tok)}`);
    return [rule];
  }
  if (c.isKw('contains') && !c.tok.nl) {
    c.next();
    rule.contains = parseTermInKV(c);
  }
  if ((c.is(':=') || c.is('=')) && !c.tok.nl) {
    if (rule.contains) c.fail('a `contains` rule cannot have a value');
    rule.assign = c.next().text === ':=';
    rule.value = parseTermInKV(c);
  }
  const b = parseRuleBody(c, strictV1);
  rule.body = b.body;
  rule.usedIf = b.usedIf;
  if (strictV1 && !rule.value && !rule.contains && !rule.args && b.body.length === 0) {
    if (head.length === 1) c.fail('rule must have a body or a value', headTok);
    c.fail('`contains` keyword is required for partial set rules', headTok);
  }
  while (c.isKw('else')) {
    const eloc = c.loc();
    c.next();
    const clause: ElseClause = { loc: eloc, body: [] };
    if (c.is(':=') || c.is('=')) {
      c.next();
      clause.value = parseTermInKV(c);
    }
    const eb = parseRuleBody(c, strictV1);
    if (!eb.usedIf) rule.usedIf = false;
    clause.body = eb.body;
    rule.elses.push(clause);
  }
  const rules = [rule];
  while (b.body.length > 0 && c.is('{') && c.tok.kind === 'punct') {
    if (rule.elses.length) c.fail('expected `else` keyword');
    if (strictV1) c.fail('`if` keyword is required before rule body');
    const loc2 = c.loc();
    c.next();
    rules.push({ ...rule, loc: loc2, body: parseBody(c, '}'), usedIf: false, elses: [] });
  }
  return rules;
}

function parseRuleBody(c: Cursor, strictV1: boolean): { body: Body; usedIf: boolean } {
  if (c.isKw('if') && !c.tok.nl) {
    c.next();
    if (c.is('{')) {
      // As OPA: `if` is followed by one literal unless that literal is a set (`{ x }`), in which
      // case it is a `{ … }` body. So `p if { 1 | 1 }` has a comprehension as its only literal.
      const start = c.pos;
      const lit = tryLiteral(c);
      if (lit && !(lit.e.k === 'term' && lit.e.term.t === 'set') && !lit.negated) return { body: [lit], usedIf: true };
      c.pos = start;
      c.next();
      return { body: parseBody(c, '}'), usedIf: true };
    }
    return { body: [parseLiteral(c)], usedIf: true };
  }
  // The body may start on the next line (OPA skips newlines between a head and its body).
  if (c.is('{') && c.tok.kind === 'punct') {
    if (strictV1) c.fail('`if` keyword is required before rule body');
    c.next();
    return { body: parseBody(c, '}'), usedIf: false };
  }
  return { body: [], usedIf: true };
}

/** A literal, or undefined (cursor untouched) when the tokens do not form one. */
function tryLiteral(c: Cursor): Expr | undefined {
  const start = c.pos;
  const depth = c.depth;
  try {
    return parseLiteral(c);
  } catch (e) {
    if (!isRecoverable(e)) throw e;
    c.pos = start;
    c.depth = depth;
    return undefined;
  }
}
