/** Variable analyses over compiled terms, used by scoping (closure free vars) and safety ordering. */
import { forEachChild } from './ir.ts';
import type { CExpr, CTerm } from './ir.ts';

/** Every variable name in a term, including inside closures. */
export function allVarsOfTerm(t: CTerm, out: Set<string>): void {
  switch (t.t) {
    case 'var':
      out.add(t.name);
      return;
    case 'compr':
      allVarsOfTerm(t.term, out);
      if (t.key) allVarsOfTerm(t.key, out);
      for (const e of t.body) allVarsOfExpr(e, out);
      return;
    default:
      forEachChild(t, (x) => allVarsOfTerm(x, out));
  }
}

export function allVarsOfExpr(e: CExpr, out: Set<string>): void {
  const b = e.e;
  switch (b.k) {
    case 'term':
      allVarsOfTerm(b.term, out);
      break;
    case 'unify':
      allVarsOfTerm(b.left, out);
      allVarsOfTerm(b.right, out);
      break;
    case 'somein':
      if (b.key) allVarsOfTerm(b.key, out);
      allVarsOfTerm(b.value, out);
      allVarsOfTerm(b.coll, out);
      break;
    case 'every':
      if (b.key) allVarsOfTerm(b.key, out);
      allVarsOfTerm(b.value, out);
      allVarsOfTerm(b.coll, out);
      for (const x of b.body) allVarsOfExpr(x, out);
      break;
    case 'true':
      break;
  }
  for (const w of e.withs) allVarsOfTerm(w.value, out);
}

/**
 * Variables a term needs bound before it can be evaluated to a value. Variables used as ref
 * operands are not needed: they are enumerated (see `iterVars`). Closures need their free vars.
 */
export function inputVars(t: CTerm, out: Set<string>): void {
  switch (t.t) {
    case 'var':
      out.add(t.name);
      return;
    case 'ref':
      if (t.head.k === 'term') inputVars(t.head.term, out);
      for (const p of t.path) if (p.t !== 'var') operandInputs(p, out);
      return;
    case 'compr':
      for (const v of t.free) out.add(v);
      return;
    default:
      forEachChild(t, (x) => inputVars(x, out));
  }
}

/** A composite ref operand is matched as a pattern: only its refs/calls/closures need inputs. */
function operandInputs(t: CTerm, out: Set<string>): void {
  if (t.t === 'array' || t.t === 'set') for (const x of t.items) operandInputs(x, out);
  else if (t.t === 'object')
    for (const [k, v] of t.entries) {
      inputVars(k, out);
      operandInputs(v, out);
    }
  else if (t.t !== 'var') inputVars(t, out);
}

/** Variables bound by enumerating refs inside a term (not inside closures). */
export function iterVars(t: CTerm, out: Set<string>): void {
  if (t.t !== 'ref') {
    forEachChild(t, (x) => iterVars(x, out));
    return;
  }
  if (t.head.k === 'term') iterVars(t.head.term, out);
  for (const p of t.path) {
    if (p.t === 'var') out.add(p.name);
    else if (p.t === 'array' || p.t === 'object' || p.t === 'set') patternVars(p, out);
    else iterVars(p, out);
  }
}

/** Variables a term binds when used as a unification pattern. */
export function patternVars(t: CTerm, out: Set<string>): void {
  switch (t.t) {
    case 'var':
      out.add(t.name);
      return;
    case 'array':
    case 'set':
      for (const x of t.items) patternVars(x, out);
      return;
    case 'object':
      for (const [, v] of t.entries) patternVars(v, out);
      return;
    case 'ref':
    case 'call':
      iterVars(t, out);
      return;
    default:
      return;
  }
}
