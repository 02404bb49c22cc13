/** Compiles parsed modules into a program: resolved rules in a tree, checked for conflicts and recursion. */
import type { BuiltinRegistry } from '../builtin-types.ts';
import { RegoCompileError } from '../errors.ts';
import type { RegoProblem } from '../errors.ts';
import type { Module } from '../syntax/ast.ts';
import { Cursor } from '../syntax/cursor.ts';
import { tokenize } from '../syntax/lexer.ts';
import { parseQueryBody } from '../syntax/parse-body.ts';
import type { Value } from '../value.ts';
import { compileRule, ruleShape } from './compile-rules.ts';
import type { CExpr, CRule } from './ir.ts';
import { Resolver } from './resolve.ts';
import type { Globals } from './resolve.ts';
import { orderBody } from './safety.ts';
import { liftOptions } from './lift-negation.ts';
import { checkPatterns } from './check-patterns.ts';
import { allVarsOfExpr } from './vars.ts';
import type { SafetyContext } from './safety.ts';
import { checkRecursion } from './recursion.ts';
import { RuleTree, checkConflicts } from './rule-tree.ts';
import { typeCheck, typeCheckQuery } from '../typecheck/check.ts';
import { AnnotationSet } from './metadata.ts';

export interface Program {
  tree: RuleTree;
  data: Value;
  rules: CRule[];
  builtins: BuiltinRegistry;
  funcArity: (path: string[]) => number | undefined;
}

export function origName(unique: string): string {
  const i = unique.indexOf('$');
  return i < 0 ? unique : unique.slice(0, i);
}

export function compileProgram(modules: Module[], data: Value, builtins: BuiltinRegistry): Program {
  const problems: RegoProblem[] = [];
  const ruleNames = new Map<string, Set<string>>();
  const funcs = new Map<string, number>();
  const tree = new RuleTree();
  for (const m of modules) {
    const key = m.pkg.join('.');
    const names = ruleNames.get(key) ?? new Set<string>();
    ruleNames.set(key, names);
    tree.markPackage(m.pkg);
    for (const r of m.rules) {
      const h = r.head[0];
      if (h.t === 'var') names.add(h.name);
      const shape = ruleShape(r, m);
      if (shape.kind === 'func') funcs.set([...m.pkg, ...shape.prefix].join('\u0000'), r.args!.length);
    }
  }
  const funcArity = (path: string[]) => funcs.get(path.join('\u0000'));
  const safety: SafetyContext = { problems, origOf: origName, lift: liftOptions(true) };
  const annotations = new AnnotationSet(modules, problems);
  const rules: CRule[] = [];
  for (const m of modules) {
    const imports: Globals['imports'] = new Map();
    for (const imp of m.imports) {
      if (imp.path[0] !== 'data' && imp.path[0] !== 'input') continue;
      const alias = imp.alias ?? imp.path[imp.path.length - 1];
      imports.set(alias, { root: imp.path[0], path: imp.path.slice(1) });
    }
    const res = new Resolver({ pkg: m.pkg, ruleNames: ruleNames.get(m.pkg.join('.'))!, imports, funcArity, builtins, strict: m.strictV1 });
    for (const r of m.rules) {
      const cr = compileRule(r, m, res, safety, annotations);
      rules.push(cr);
      tree.add(cr);
    }
    problems.push(...res.problems);
  }
  checkConflicts(tree, problems);
  if (problems.length === 0) checkRecursion(tree, problems);
  if (problems.length === 0) typeCheck(tree, rules, builtins, problems);
  if (problems.length) throw new RegoCompileError(dedupe(problems));
  return { tree, data, rules, builtins, funcArity };
}

function dedupe(ps: RegoProblem[]): RegoProblem[] {
  const seen = new Set<string>();
  // OPA's compiler stops after the stage that found errors: local variable errors (rewriteLocalVars,
  // rego_compile_error) come before the safety check, so unsafe variables are not reported with them.
  const early = ps.some((p) => p.code === 'rego_compile_error' && / (referenced|assigned) above$/.test(p.message));
  return ps.filter((p) => {
    if (early && p.code === 'rego_unsafe_var_error') return false;
    const k = `${p.file}:${p.line}:${p.col}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface CompiledQuery {
  body: CExpr[];
  /** Number of expressions as written (captured values are indexed by position). */
  size: number;
  /**
   * OPA reports a single expression's value even when it is `false` (`1 == 2` → false), unless the
   * query has several expressions or iterates; then false fails the query.
   */
  reportFalse: boolean;
  /** Unique var name → name as written, for user-visible variables of the query. */
  vars: Map<string, string>;
}

export function compileQuery(program: Program, text: string, file = '<query>'): CompiledQuery {
  const c = new Cursor(file, tokenize(file, text));
  const ast = parseQueryBody(c);
  const res = new Resolver({ pkg: [], ruleNames: new Set(), imports: new Map(), funcArity: program.funcArity, builtins: program.builtins });
  const { exprs, scope } = res.resolveBody(ast, undefined);
  const problems: RegoProblem[] = [...res.problems];
  checkPatterns(exprs, problems);
  exprs.forEach((e, i) => {
    if (!e.negated && e.e.k === 'term') e.capture = i;
  });
  const ordered = orderBody(exprs, new Set(), { problems, origOf: origName, lift: liftOptions(false) });
  if (problems.length === 0) typeCheckQuery(program.tree, program.builtins, ordered.body, problems);
  if (problems.length) throw new RegoCompileError(dedupe(problems));
  const vars = new Map<string, string>();
  for (const [orig, unique] of scope.vars) if (!orig.startsWith('_')) vars.set(unique, orig);
  const names = new Set<string>();
  for (const e of ordered.body) allVarsOfExpr(e, names);
  const reportFalse = exprs.length === 1 && exprs[0].capture !== undefined && names.size === 0;
  return { body: ordered.body, vars, size: exprs.length, reportFalse };
}
