/**
 * Safety: orders each body so every expression's inputs are bound by earlier expressions (as
 * OPA's reorderBodyForSafety does), and reports variables that can never be bound.
 */
import { problem } from '../errors.ts';
import type { RegoProblem } from '../errors.ts';
import { forEachChild } from './ir.ts';
import type { CExpr, CTerm } from './ir.ts';
import { inputVars, iterVars, patternVars } from './vars.ts';
import { liftNegated } from './lift-negation.ts';
import type { LiftOptions } from './lift-negation.ts';

export interface SafetyContext {
  problems: RegoProblem[];
  /** Unique var name → name as written (for messages). */
  origOf: (name: string) => string;
  /** How negated expressions are split (see lift-negation.ts). */
  lift: LiftOptions;
}

function subset(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** A term can be evaluated to values given the bound vars. */
function evaluable(t: CTerm, bound: Set<string>): boolean {
  const need = new Set<string>();
  inputVars(t, need);
  return subset(need, bound);
}

/** A term can act as a pattern (vars may be unbound) given the bound vars. */
function patternOK(t: CTerm, bound: Set<string>): boolean {
  switch (t.t) {
    case 'var':
    case 'val':
      return true;
    case 'array':
    case 'set':
      return t.items.every((x) => patternOK(x, bound));
    case 'object':
      return t.entries.every(([k, v]) => evaluable(k, bound) && patternOK(v, bound));
    default:
      return evaluable(t, bound);
  }
}

function outputsOf(t: CTerm, out: Set<string>): void {
  patternVars(t, out);
}

function unifiable(l: CTerm, r: CTerm, bound: Set<string>): boolean {
  if (evaluable(l, bound) && patternOK(r, bound)) return true;
  if (evaluable(r, bound) && patternOK(l, bound)) return true;
  if (l.t === 'array' && r.t === 'array' && l.items.length === r.items.length) {
    const b = new Set(bound);
    for (let i = 0; i < l.items.length; i++) {
      if (!unifiable(l.items[i], r.items[i], b)) return false;
      outputsOf(l.items[i], b);
      outputsOf(r.items[i], b);
    }
    return true;
  }
  if (l.t === 'object' && r.t === 'object' && l.entries.length === r.entries.length) {
    const b = new Set(bound);
    for (const [k, v] of l.entries) {
      if (k.t !== 'val') return false;
      const match = r.entries.find(([k2]) => k2.t === 'val' && JSON.stringify(k2.v) === JSON.stringify(k.v));
      if (!match || !unifiable(v, match[1], b)) return false;
      outputsOf(v, b);
      outputsOf(match[1], b);
    }
    return true;
  }
  return false;
}

function withsReady(e: CExpr, bound: Set<string>): boolean {
  return e.withs.every((w) => evaluable(w.value, bound));
}

/** Whether an expression can run now, and what it binds. */
export function schedule(e: CExpr, bound: Set<string>): Set<string> | undefined {
  if (!withsReady(e, bound)) return undefined;
  const b = e.e;
  const out = new Set<string>();
  if (e.negated) {
    const need = new Set<string>();
    exprNeeds(e, need);
    for (const n of need) if (!bound.has(n) && !n.startsWith('_')) return undefined;
    return out;
  }
  switch (b.k) {
    case 'true':
      return out;
    case 'term':
      if (!evaluable(b.term, bound)) return undefined;
      iterVars(b.term, out);
      return out;
    case 'unify':
      if (!unifiable(b.left, b.right, bound)) return undefined;
      outputsOf(b.left, out);
      outputsOf(b.right, out);
      return out;
    case 'somein':
      if (!evaluable(b.coll, bound)) return undefined;
      if (b.key && !patternOK(b.key, bound)) return undefined;
      if (!patternOK(b.value, bound)) return undefined;
      iterVars(b.coll, out);
      if (b.key) outputsOf(b.key, out);
      outputsOf(b.value, out);
      return out;
    case 'every':
      if (!evaluable(b.coll, bound)) return undefined;
      for (const f of b.free) if (!bound.has(f)) return undefined;
      iterVars(b.coll, out);
      return out;
  }
}

/** All variables an expression mentions outside closures' own locals. */
function exprNeeds(e: CExpr, out: Set<string>): void {
  const b = e.e;
  const t = (x: CTerm) => {
    inputVars(x, out);
    iterVars(x, out);
  };
  if (b.k === 'term') t(b.term);
  else if (b.k === 'unify') {
    t(b.left);
    t(b.right);
  } else if (b.k === 'somein') {
    t(b.coll);
    if (b.key) t(b.key);
    t(b.value);
  } else if (b.k === 'every') {
    t(b.coll);
    for (const f of b.free) out.add(f);
  }
}

/**
 * Reorders `body` for safety given the initially bound vars; recursively orders closures.
 * Returns the ordered body and the vars bound after it.
 */
export function orderBody(body: CExpr[], bound0: Set<string>, ctx: SafetyContext): { body: CExpr[]; bound: Set<string> } {
  const bound = new Set(bound0);
  const rest = [...body];
  const out: CExpr[] = [];
  while (rest.length > 0) {
    let idx = -1;
    let outs: Set<string> | undefined;
    for (let i = 0; i < rest.length; i++) {
      outs = schedule(rest[i], bound);
      if (outs) {
        idx = i;
        break;
      }
    }
    if (idx < 0 && ctx.lift.equalsAsUnify) {
      // OPA's rewriteEquals: in modules `a == b` is the unification `a = b` once its operands are safe,
      // and a variable used as a ref's key (`foo == xs[foo]`) is safe by enumeration.
      idx = rest.findIndex((e) => {
        const b = e.e;
        if (e.negated || b.k !== 'term' || b.term.t !== 'call' || b.term.target.k !== 'builtin' || b.term.target.name !== 'equal' || b.term.args.length !== 2) return false;
        const enumerated = new Set(bound);
        for (const a of b.term.args) iterVars(a, enumerated);
        const need = new Set<string>();
        for (const a of b.term.args) inputVars(a, need);
        if (!subset(need, enumerated)) return false;
        outs = schedule({ ...e, e: { k: 'unify', left: b.term.args[0], right: b.term.args[1] } }, bound);
        return outs !== undefined;
      });
      if (idx >= 0) {
        const e = rest[idx];
        const call = (e.e as { term: Extract<CTerm, { t: 'call' }> }).term;
        rest[idx] = { ...e, e: { k: 'unify', left: call.args[0], right: call.args[1] } };
      }
    }
    if (idx < 0) {
      reportUnsafe(rest, bound, ctx);
      return { body: [...out, ...rest], bound };
    }
    const [e] = rest.splice(idx, 1);
    orderClosuresOfExpr(e, bound, ctx);
    for (const v of outs!) bound.add(v);
    if (e.negated) out.push(...liftNegated(e, bound, ctx.lift));
    else out.push(e);
  }
  return { body: out, bound };
}

function reportUnsafe(rest: CExpr[], bound: Set<string>, ctx: SafetyContext): void {
  const seen = new Set<string>();
  for (const e of rest) {
    const need = new Set<string>();
    exprNeeds(e, need);
    for (const w of e.withs) inputVars(w.value, need);
    const b = e.e;
    if (b.k === 'unify') {
      patternVars(b.left, need);
      patternVars(b.right, need);
    }
    for (const n of need) {
      if (bound.has(n) || seen.has(n)) continue;
      seen.add(n);
      ctx.problems.push(problem(e.loc, 'rego_unsafe_var_error', `var ${ctx.origOf(n)} is unsafe`));
    }
  }
  if (seen.size === 0 && rest.length > 0) ctx.problems.push(problem(rest[0].loc, 'rego_unsafe_var_error', 'expression is unsafe'));
}

/** Orders the bodies of comprehensions and `every` inside an expression being scheduled. */
function orderClosuresOfExpr(e: CExpr, bound: Set<string>, ctx: SafetyContext): void {
  const b = e.e;
  const visit = (t: CTerm): void => orderClosuresOfTerm(t, bound, ctx);
  if (b.k === 'term') visit(b.term);
  else if (b.k === 'unify') {
    visit(b.left);
    visit(b.right);
  } else if (b.k === 'somein') {
    visit(b.coll);
  } else if (b.k === 'every') {
    visit(b.coll);
    const inner = new Set(bound);
    if (b.key) outputsOf(b.key, inner);
    outputsOf(b.value, inner);
    b.body = orderBody(b.body, inner, ctx).body;
  }
  for (const w of e.withs) visit(w.value);
}

export function orderClosuresOfTerm(t: CTerm, bound: Set<string>, ctx: SafetyContext): void {
  switch (t.t) {
    case 'compr': {
      const r = orderBody(t.body, bound, ctx);
      t.body = r.body;
      const need = new Set<string>();
      inputVars(t.term, need);
      if (t.key) inputVars(t.key, need);
      for (const n of need)
        if (!r.bound.has(n)) ctx.problems.push(problem(t.loc, 'rego_unsafe_var_error', `var ${ctx.origOf(n)} is unsafe`));
      orderClosuresOfTerm(t.term, r.bound, ctx);
      if (t.key) orderClosuresOfTerm(t.key, r.bound, ctx);
      return;
    }
    default:
      forEachChild(t, (x) => orderClosuresOfTerm(x, bound, ctx));
  }
}
