/**
 * Resolves names in rule bodies and queries: local variables (made unique per rule, with Rego's
 * scoping of `:=`, `some` and closures), rule names of the package, imports, `input`/`data`,
 * and function calls (user functions or builtins, with arity checks).
 */
import type { BuiltinRegistry } from '../builtin-types.ts';
import { problem } from '../errors.ts';
import type { Loc, RegoProblem } from '../errors.ts';
import type { Body, Expr, Module, Rule, Term, VarTerm, With } from '../syntax/ast.ts';
import { ruleMetadata } from './metadata.ts';
import type { AnnotationSet } from './metadata.ts';
import type { Value } from '../value.ts';
import type { CallTarget, CExpr, CTerm, CVar, CWith } from './ir.ts';
import { collectDeclared, collectMentioned, fnSegments, fold, isAssignable, refSegments, termKind } from './scan-names.ts';
import { allVarsOfExpr, allVarsOfTerm } from './vars.ts';

export { fold, refSegments };

export interface Globals {
  pkg: string[];
  /** First head segments of the package's rules. */
  ruleNames: Set<string>;
  /** Import aliases → root and path. */
  imports: Map<string, { root: 'data' | 'input'; path: string[] }>;
  /** Arity of the user function at a data path, if one exists. */
  funcArity: (path: string[]) => number | undefined;
  builtins: BuiltinRegistry;
  /** The module imports rego.v1: `input`/`data` cannot be shadowed. */
  strict?: boolean;
}

export class Scope {
  readonly vars = new Map<string, string>();
  /** Names declared (`:=`, `some`) later in this body. */
  pending = new Set<string>();
  readonly usedBefore = new Set<string>();
  /** Declared by `some x` and not assigned yet: a later `x := …` assigns it. */
  readonly someOnly = new Set<string>();
  readonly depth: number;
  constructor(readonly parent?: Scope) {
    this.depth = parent ? parent.depth + 1 : 0;
  }
}

const SPECIAL_BUILTINS: Record<string, number> = { print: -1 };

/** The builtins whose calls are constants of the rule they are written in (`compile/metadata.ts`). */
const METADATA_CHAIN = 'rego.metadata.chain';
const METADATA_RULE = 'rego.metadata.rule';

export class Resolver {
  readonly problems: RegoProblem[] = [];
  /**
   * While a rule clause is resolved: where its rego.metadata.chain()/rule() come from (computed only when
   * called). A plain object, not a closure: a closure made per clause doubled the compile time.
   */
  metadata: { set: AnnotationSet; rule: Rule; mod: Module; own: boolean } | undefined = undefined;
  private readonly used = new Set<string>();
  readonly depthOf = new Map<string, number>();
  /** Unique names of the query's top scope → names as written (for result bindings). */
  constructor(readonly g: Globals) {}

  error(loc: Loc, code: string, msg: string): void {
    this.problems.push(problem(loc, code, msg));
  }

  fresh(orig: string, scope: Scope): string {
    let name = orig === '_' ? '_$0' : orig;
    for (let i = 1; this.used.has(name); i++) name = `${orig === '_' ? '_' : orig}$${i}`;
    this.used.add(name);
    this.depthOf.set(name, scope.depth);
    return name;
  }

  private lookupVar(name: string, scope: Scope): string | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const u = s.vars.get(name);
      if (u) return u;
    }
    return undefined;
  }

  declare(v: VarTerm, scope: Scope): CVar {
    if (v.name === '_') return { t: 'var', name: this.fresh('_', scope), orig: '_', loc: v.loc };
    if ((v.name === 'input' || v.name === 'data') && this.g.strict) this.error(v.loc, 'rego_compile_error', `${v.name} cannot be shadowed`);
    const prior = scope.vars.get(v.name);
    if (prior && scope.someOnly.has(v.name)) {
      scope.someOnly.delete(v.name);
      return { t: 'var', name: prior, orig: v.name, loc: v.loc };
    }
    if (scope.usedBefore.has(v.name)) this.error(v.loc, 'rego_compile_error', `var ${v.name} referenced above`);
    else if (scope.vars.has(v.name)) this.error(v.loc, 'rego_compile_error', `var ${v.name} assigned above`);
    const u = this.fresh(v.name, scope);
    scope.vars.set(v.name, u);
    scope.pending.delete(v.name);
    return { t: 'var', name: u, orig: v.name, loc: v.loc };
  }

  /** Resolves a body in a new scope below `parent`; `pre` may declare variables first (function args). */
  resolveBody(body: Body, parent: Scope | undefined, pre?: (s: Scope) => void): { exprs: CExpr[]; scope: Scope } {
    const scope = new Scope(parent);
    pre?.(scope);
    const declared = new Set<string>();
    for (const e of body) collectDeclared(e, declared);
    const mentioned: string[] = [];
    const isBuiltinName = (n: string) => this.g.builtins.has(n) || n === 'print';
    for (const e of body) collectMentioned(e, mentioned, isBuiltinName);
    for (const n of mentioned) {
      if (n === '_' || n === 'input' || n === 'data' || scope.vars.has(n) || declared.has(n)) continue;
      if (parent && this.lookupVar(n, parent)) continue;
      if (this.g.ruleNames.has(n) || this.g.imports.has(n)) continue;
      scope.vars.set(n, this.fresh(n, scope));
    }
    scope.pending = declared;
    const exprs = body.map((e) => this.resolveExpr(e, scope));
    scope.pending = new Set();
    this.checkSomeUsed(body, exprs, scope);
    return { exprs, scope };
  }

  private resolveExpr(e: Expr, scope: Scope): CExpr {
    const withs = e.withs.map((w) => this.resolveWith(w, scope));
    const out = (b: CExpr['e']): CExpr => ({ loc: e.loc, negated: e.negated, withs, e: b });
    const b = e.e;
    switch (b.k) {
      case 'term': {
        if (b.term.t === 'call') {
          const r = this.resolveCall(b.term, scope, true);
          if (r.output) return out({ k: 'unify', left: r.output, right: r.call, callOutput: true });
          return out({ k: 'term', term: r.call });
        }
        return out({ k: 'term', term: this.resolveTerm(b.term, scope) });
      }
      case 'unify':
        return out({ k: 'unify', left: this.resolveTerm(b.left, scope), right: this.resolveTerm(b.right, scope) });
      case 'assign': {
        const right = this.resolveTerm(b.right, scope);
        if (!isAssignable(b.left)) this.error(b.left.loc, 'rego_compile_error', `cannot assign to ${termKind(b.left)}`);
        const left = this.resolvePattern(b.left, scope);
        if (!e.negated) return out({ k: 'unify', left, right });
        // OPA stops here (rewriteLocalVars); the expression is dropped so that safety adds nothing.
        this.error(e.loc, 'rego_compile_error', 'cannot assign vars inside negated expression');
        return out({ k: 'true' });
      }
      case 'some':
        for (const v of b.vars) {
          this.declare(v, scope);
          scope.someOnly.add(v.name);
        }
        return out({ k: 'true' });
      case 'somein': {
        const coll = this.resolveTerm(b.coll, scope);
        const key = b.key ? this.resolvePattern(b.key, scope) : undefined;
        const value = this.resolvePattern(b.value, scope);
        return out({ k: 'somein', ...(key ? { key } : {}), value, coll });
      }
      case 'every': {
        const coll = this.resolveTerm(b.coll, scope);
        const vs = new Scope(scope);
        const key = b.key ? this.resolvePattern(b.key, vs) : undefined;
        const value = this.resolvePattern(b.value, vs);
        const inner = this.resolveBody(b.body, vs);
        const used = new Set<string>();
        for (const x of inner.exprs) allVarsOfExpr(x, used);
        // OPA (rewriteEvery): `every` declares its variables; one the body never uses is an error.
        for (const [decl, c] of [[b.key, key], [b.value, value]] as const)
          if (decl?.t === 'var' && decl.name !== '_' && c?.t === 'var' && !used.has(c.name)) this.error(decl.loc, 'rego_compile_error', `declared var ${decl.name} unused`);
        const free = this.freeVars(inner.exprs, [], scope.depth);
        return out({ k: 'every', ...(key ? { key } : {}), value, coll, body: inner.exprs, free });
      }
    }
  }

  /** OPA (rewriteDeclaredVarsInBody): a variable declared with `some x` that nothing in the body uses is an error. */
  private checkSomeUsed(body: Body, exprs: CExpr[], scope: Scope): void {
    const decls = body.flatMap((e) => (e.e.k === 'some' ? e.e.vars : []));
    if (decls.length === 0) return;
    const used = new Set<string>();
    for (const e of exprs) allVarsOfExpr(e, used);
    for (const v of decls) {
      const u = scope.vars.get(v.name);
      if (v.name !== '_' && u && !used.has(u)) this.error(v.loc, 'rego_compile_error', `declared var ${v.name} unused`);
    }
  }

  /** Variables used in closure parts that belong to scopes at depth <= `depth`. */
  freeVars(body: CExpr[], terms: CTerm[], depth: number): string[] {
    const all = new Set<string>();
    for (const e of body) allVarsOfExpr(e, all);
    for (const t of terms) allVarsOfTerm(t, all);
    return [...all].filter((n) => (this.depthOf.get(n) ?? 0) <= depth);
  }

  resolvePattern(t: Term, scope: Scope): CTerm {
    switch (t.t) {
      case 'var':
        return this.declare(t, scope);
      case 'array':
        return fold({ t: 'array', items: t.items.map((x) => this.resolvePattern(x, scope)) });
      case 'object':
        return fold({ t: 'object', entries: t.entries.map(([k, v]) => [this.resolveTerm(k, scope), this.resolvePattern(v, scope)]) });
      default:
        return this.resolveTerm(t, scope);
    }
  }

  resolveVar(v: VarTerm, scope: Scope): CTerm {
    if (v.name === '_') return { t: 'var', name: this.fresh('_', scope), orig: '_', loc: v.loc };
    const u = this.lookupVar(v.name, scope);
    if (u) {
      for (let s: Scope | undefined = scope; s; s = s.parent) s.someOnly.delete(v.name);
      return { t: 'var', name: u, orig: v.name, loc: v.loc };
    }
    if (v.name === 'input') return { t: 'ref', head: { k: 'input' }, path: [], loc: v.loc };
    if (v.name === 'data') return { t: 'ref', head: { k: 'data' }, path: [], loc: v.loc };
    for (let s: Scope | undefined = scope; s; s = s.parent)
      if (s.pending.has(v.name)) {
        s.usedBefore.add(v.name);
        break;
      }
    const imp = this.g.imports.get(v.name);
    if (imp) return { t: 'ref', head: { k: imp.root }, path: imp.path.map((p) => ({ t: 'val', v: p })), loc: v.loc };
    if (this.g.ruleNames.has(v.name)) return dataRef([...this.g.pkg, v.name], v.loc);
    const name = this.fresh(v.name, scope);
    scope.vars.set(v.name, name);
    return { t: 'var', name, orig: v.name, loc: v.loc };
  }

  resolveTerm(t: Term, scope: Scope): CTerm {
    switch (t.t) {
      case 'scalar':
        return { t: 'val', v: t.value };
      case 'var':
        return this.resolveVar(t, scope);
      case 'ref': {
        const head = t.head.t === 'var' ? this.resolveVar(t.head, scope) : this.resolveTerm(t.head, scope);
        const path = t.path.map((p) => this.resolveTerm(p, scope));
        if (head.t === 'ref') return { ...head, path: [...head.path, ...path], loc: t.loc };
        return { t: 'ref', head: { k: 'term', term: head }, path, loc: t.loc };
      }
      case 'array':
        return fold({ t: 'array', items: t.items.map((x) => this.resolveTerm(x, scope)) });
      case 'set':
        return fold({ t: 'set', items: t.items.map((x) => this.resolveTerm(x, scope)) });
      case 'object':
        return fold({ t: 'object', entries: t.entries.map(([k, v]) => [this.resolveTerm(k, scope), this.resolveTerm(v, scope)]) });
      case 'arraycompr':
      case 'setcompr': {
        const inner = this.resolveBody(t.body, scope);
        const term = this.resolveTerm(t.term, inner.scope);
        const free = this.freeVars(inner.exprs, [term], scope.depth);
        return { t: 'compr', kind: t.t === 'arraycompr' ? 'array' : 'set', term, body: inner.exprs, free, loc: t.loc };
      }
      case 'objectcompr': {
        const inner = this.resolveBody(t.body, scope);
        const key = this.resolveTerm(t.key, inner.scope);
        const term = this.resolveTerm(t.value, inner.scope);
        const free = this.freeVars(inner.exprs, [key, term], scope.depth);
        return { t: 'compr', kind: 'object', key, term, body: inner.exprs, free, loc: t.loc };
      }
      case 'call':
        return this.resolveCall(t, scope, false).call;
    }
  }

  /** Resolves a function name as written to a call target and its arity (-1: variadic). */
  resolveFnName(segments: string[], scope: Scope): { target: CallTarget; arity: number; name: string } | undefined {
    const first = segments[0];
    let path: string[] | undefined;
    if (this.lookupVar(first, scope)) path = undefined;
    else if (this.g.imports.has(first)) {
      const imp = this.g.imports.get(first)!;
      if (imp.root === 'data') path = [...imp.path, ...segments.slice(1)];
    } else if (this.g.ruleNames.has(first)) path = [...this.g.pkg, ...segments];
    else if (first === 'data') path = segments.slice(1);
    if (path) {
      const arity = this.g.funcArity(path);
      if (arity !== undefined) return { target: { k: 'func', path, key: 'data.' + path.join('.') }, arity, name: 'data.' + path.join('.') };
      if (first === 'data' || this.g.imports.has(first)) return undefined;
    }
    const name = segments.join('.');
    if (name in SPECIAL_BUILTINS) return { target: { k: 'print' }, arity: SPECIAL_BUILTINS[name], name };
    const def = this.g.builtins.get(name);
    if (def) return { target: { k: 'builtin', name }, arity: def.arity, name };
    return undefined;
  }

  private resolveCall(c: Extract<Term, { t: 'call' }>, scope: Scope, exprLevel: boolean): { call: CTerm; output?: CTerm } {
    const segments = fnSegments(c.fn);
    const args = c.args.map((a) => this.resolveTerm(a, scope));
    const bad = (): { call: CTerm } => ({ call: { t: 'val', v: null } });
    if (!segments) {
      this.error(c.loc, 'rego_type_error', 'invalid function name');
      return bad();
    }
    const r = this.resolveFnName(segments, scope);
    if (!r) {
      const rule = this.ruleCalled(segments, scope);
      // OPA's type checker: a rule called as a function is a function of arity 0.
      if (rule) this.error(c.loc, 'rego_type_error', `function ${rule} has arity 0, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
      else this.error(c.loc, 'rego_type_error', `undefined function ${segments.join('.')}`);
      return bad();
    }
    if (r.arity >= 0 && args.length !== r.arity) {
      if (exprLevel && args.length === r.arity + 1) {
        const output = args.pop()!;
        const meta = this.metadataValue(r);
        if (meta) return { call: meta, output };
        return { call: { t: 'call', target: r.target, args, loc: c.loc, name: r.name }, output };
      }
      const n = args.length;
      if (r.target.k === 'func') this.error(c.loc, 'rego_type_error', `function ${r.name} has arity ${r.arity}, got ${n} argument${n === 1 ? '' : 's'}`);
      else this.error(c.loc, 'rego_type_error', `${r.name}: arity mismatch: expects ${r.arity} argument${r.arity === 1 ? '' : 's'}, got ${n}`);
      return bad();
    }
    const meta = this.metadataValue(r);
    if (meta) return { call: meta };
    return { call: { t: 'call', target: r.target, args, loc: c.loc, name: r.name } };
  }

  /** rego.metadata.chain()/rule() inside a rule: the rule's constant (OPA's RewriteRegoMetadataCalls). */
  private metadataValue(r: { target: CallTarget; name: string }): CTerm | undefined {
    if (!this.metadata || r.target.k !== 'builtin') return undefined;
    if (r.name !== METADATA_CHAIN && r.name !== METADATA_RULE) return undefined;
    const m = this.metadata;
    const chain = m.set.chain(m.rule, m.mod, m.own);
    return { t: 'val', v: r.name === METADATA_CHAIN ? chain : ruleMetadata(chain) };
    return undefined;
  }

  /** The rule a call's name refers to when it is a rule of this package, not a function (`q(1)`). */
  private ruleCalled(segments: string[], scope: Scope): string | undefined {
    const first = segments[0];
    if (this.lookupVar(first, scope) || this.g.imports.has(first) || !this.g.ruleNames.has(first)) return undefined;
    return 'data.' + [...this.g.pkg, ...segments].join('.');
  }

  private resolveWith(w: With, scope: Scope): CWith {
    const segs = refSegments(w.target);
    const out: CWith = { target: { k: 'input', path: [] }, value: { t: 'val', v: null }, loc: w.loc };
    const valSegs = refSegments(w.value);
    // A dotted builtin name (`object.union_n`) is the builtin even though its head was seen as a var.
    const isBuiltin = !!valSegs && valSegs.length > 1 && this.g.builtins.has(valSegs.join('.'));
    const repl = valSegs && (isBuiltin || this.lookupVar(valSegs[0], scope) === undefined) ? this.resolveFnName(valSegs, scope) : undefined;
    if (repl && repl.target.k !== 'print') out.fnValue = repl.target;
    else out.value = this.resolveTerm(w.value, scope);
    if (!segs) {
      this.error(w.loc, 'rego_type_error', 'with keyword target must reference existing input, data, or a function');
      return out;
    }
    if (segs[0] === 'input') {
      out.target = { k: 'input', path: segs.slice(1) };
      return out;
    }
    const fn = this.resolveFnName(segs, scope);
    if (fn && fn.target.k !== 'print') {
      out.target = { k: 'fn', key: fn.target.k === 'func' ? fn.target.key : fn.target.name };
      return out;
    }
    if (segs[0] === 'data') {
      out.target = { k: 'data', path: segs.slice(1) };
      return out;
    }
    if (this.g.ruleNames.has(segs[0])) {
      out.target = { k: 'data', path: [...this.g.pkg, ...segs] };
      return out;
    }
    const imp = this.g.imports.get(segs[0]);
    if (imp) {
      out.target = imp.root === 'input' ? { k: 'input', path: [...imp.path, ...segs.slice(1)] } : { k: 'data', path: [...imp.path, ...segs.slice(1)] };
      return out;
    }
    this.error(w.loc, 'rego_type_error', `with keyword target must reference existing input, data, or a function`);
    return out;
  }
}

export function dataRef(path: string[], loc: Loc): CTerm {
  return { t: 'ref', head: { k: 'data' }, path: path.map((p) => ({ t: 'val', v: p })), loc };
}

