/**
 * OPA evaluates the dynamic parts of a negated expression before the negation, outside it. Its
 * compiler binds every nested call to a variable of its own (rewriteExprTerms), turns `a == b` into
 * `a = b` in modules (rewriteEquals, not run for queries), then binds the refs given as call operands
 * (rewriteDynamicTerms): `not f(input.missing)` and `not startswith(input.missing, "x")` are
 * undefined, not true. Refs that are a whole side of `=` (or of `==` in a module) or the whole
 * expression stay inside: `not input.missing` and `not input.missing == 1` are true.
 *
 * Order, as OPA 0.47 evaluates them (checked with the oracle, cases in fuzz-findings.yaml): the lifted refs
 * that do not read a lifted call come first, then the calls (whose own ref operands are lifted too), so
 * `not f(1) in input.missing` and `not count([f(1)]) > count(input.missing)` are undefined even when
 * `f(1)` would be a conflict error.
 *
 * A lifted part keeps the expression's `with` modifiers. Parts that mention an unbound variable (a
 * wildcard, which OPA would reject as unsafe in a negation) stay inside the negation.
 */
import type { Loc } from '../errors.ts';
import type { CExpr, CExprBody, CTerm, CVar } from './ir.ts';
import { inputVars, iterVars } from './vars.ts';

export interface LiftOptions {
  /** Modules: `a == b` with two operands is unification (OPA's rewriteEquals). Queries: false. */
  equalsAsUnify: boolean;
  /** A variable name unique in the program (or query). */
  fresh: () => string;
}

export function liftOptions(equalsAsUnify: boolean): LiftOptions {
  let n = 0;
  return { equalsAsUnify, fresh: () => `__not$${++n}` };
}

/** Returns the expressions that replace the negated `e`: the lifted parts, then `e` reading them. */
export function liftNegated(e: CExpr, bound0: Set<string>, opts: LiftOptions): CExpr[] {
  const bound = new Set(bound0);
  const lifted: CExpr[] = [];
  /** Names of the variables that hold lifted calls (a ref reading one must come after it). */
  const callVars = new Set<string>();

  const lift = (t: CTerm): CTerm => {
    if (!ready(t, bound)) return t;
    const v: CVar = { t: 'var', name: opts.fresh(), orig: '__not', loc: termLoc(t, e.loc) };
    bound.add(v.name);
    if (t.t === 'call') callVars.add(v.name);
    lifted.push({ loc: e.loc, negated: false, withs: e.withs, e: { k: 'unify', left: v, right: t } });
    return v;
  };

  /** rewriteExprTerms: nested calls, and composite or call subjects of refs, become variables. */
  const calls = (t: CTerm): CTerm => {
    switch (t.t) {
      case 'call':
        // The call's own ref operands are read as their own lifted parts (OPA reads them before any call).
        return t.target.k === 'print' ? t : lift({ ...t, args: t.args.map((a) => operand(calls(a))) });
      case 'ref': {
        if (t.head.k !== 'term' || !isComposite(t.head.term)) return { ...t, path: t.path.map(calls) };
        const subject = calls(t.head.term);
        const head = { k: 'term' as const, term: subject.t === 'var' ? subject : lift(subject) };
        return { ...t, head, path: t.path.map(calls) };
      }
      case 'array':
      case 'set':
        return { ...t, items: t.items.map(calls) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [calls(k), calls(v)]) };
      default:
        return t;
    }
  };

  /** rewriteDynamicsOne: a call operand; refs become variables, composites are entered. */
  const operand = (t: CTerm): CTerm => {
    switch (t.t) {
      case 'ref':
        return lift({ ...t, path: t.path.map(operand) });
      case 'array':
      case 'set':
        return { ...t, items: t.items.map(operand) };
      case 'object':
        return { ...t, entries: t.entries.map(([k, v]) => [operand(k), operand(v)]) };
      default:
        return t;
    }
  };

  /** rewriteDynamicsInTerm: a side of `=` or a whole term expression; a ref stays, its operands do not. */
  const side = (t: CTerm): CTerm => {
    if (t.t === 'ref') return { ...t, path: t.path.map(operand) };
    if (t.t === 'compr') return t;
    return operand(t);
  };

  const b = e.e;
  let body: CExprBody = b;
  switch (b.k) {
    case 'term': {
      const t = b.term;
      if (t.t === 'call' && t.target.k !== 'print') {
        const args = t.args.map(calls);
        const unify = opts.equalsAsUnify && t.target.k === 'builtin' && t.target.name === 'equal' && args.length === 2;
        body = { k: 'term', term: { ...t, args: args.map(unify ? side : operand) } };
      } else if (t.t !== 'call') body = { k: 'term', term: side(calls(t)) };
      break;
    }
    case 'unify': {
      if (b.callOutput && b.right.t === 'call') {
        const call = b.right;
        const args = call.args.map(calls);
        const out = calls(b.left);
        body = { ...b, right: { ...call, args: args.map(operand) }, left: operand(out) };
      } else {
        const left = calls(b.left);
        const right = calls(b.right);
        body = { ...b, left: side(left), right: side(right) };
      }
      break;
    }
    default:
      break;
  }
  if (lifted.length === 0) return [e];
  // OPA 0.47 reads the lifted refs before it calls the lifted functions (`not f(1) in input.missing` is
  // undefined even when f(1) would be a conflict): refs that do not read a lifted call go first.
  const readsCall = (x: CExpr): boolean => {
    if (x.e.k !== 'unify' || x.e.right.t === 'call') return false;
    const need = new Set<string>();
    inputVars(x.e.right, need);
    return [...need].some((n) => callVars.has(n));
  };
  const refsFirst = lifted.filter((x) => x.e.k === 'unify' && x.e.right.t !== 'call' && !readsCall(x));
  const rest = lifted.filter((x) => !refsFirst.includes(x));
  return [...refsFirst, ...rest, { ...e, e: body }];
}

function isComposite(t: CTerm): boolean {
  return t.t === 'array' || t.t === 'set' || t.t === 'object' || t.t === 'compr' || t.t === 'call';
}

/** Every variable the term reads or enumerates is bound. */
function ready(t: CTerm, bound: Set<string>): boolean {
  const need = new Set<string>();
  inputVars(t, need);
  iterVars(t, need);
  for (const n of need) if (!bound.has(n)) return false;
  return true;
}

function termLoc(t: CTerm, fallback: Loc): Loc {
  return 'loc' in t ? t.loc : fallback;
}
