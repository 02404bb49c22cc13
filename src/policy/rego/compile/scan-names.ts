/** Name scanning helpers for the resolver: declared and mentioned variables, ref segments, constant folding. */
import type { Expr, Term } from '../syntax/ast.ts';
import { RObject, RSet } from '../value.ts';
import type { Value } from '../value.ts';
import type { CTerm } from './ir.ts';

export function fnSegments(fn: Term): string[] | undefined {
  return refSegments(fn);
}

/** `a.b.c` as segments when the term is a var or a ref with string path items. */
export function refSegments(t: Term): string[] | undefined {
  if (t.t === 'var') return [t.name];
  if (t.t === 'ref' && t.head.t === 'var') {
    const out = [t.head.name];
    for (const p of t.path) {
      if (p.t !== 'scalar' || typeof p.value !== 'string') return undefined;
      out.push(p.value);
    }
    return out;
  }
  return undefined;
}

export function isAssignable(t: Term): boolean {
  if (t.t === 'var') return true;
  if (t.t === 'array') return t.items.every(isAssignableElem);
  if (t.t === 'object') return t.entries.every(([, v]) => isAssignableElem(v));
  return false;
}
function isAssignableElem(t: Term): boolean {
  return t.t === 'scalar' || isAssignable(t);
}
export function termKind(t: Term): string {
  return t.t === 'scalar' ? (typeof t.value === 'string' ? 'string' : 'scalar') : t.t;
}

/** Folds composites whose items are all constants into constants. */
export function fold(t: CTerm): CTerm {
  if (t.t === 'array' && t.items.every((x) => x.t === 'val')) return { t: 'val', v: t.items.map((x) => (x as { v: Value }).v) };
  if (t.t === 'set' && t.items.every((x) => x.t === 'val')) return { t: 'val', v: new RSet(t.items.map((x) => (x as { v: Value }).v)) };
  if (t.t === 'object' && t.entries.every(([k, v]) => k.t === 'val' && v.t === 'val'))
    return { t: 'val', v: new RObject(t.entries.map(([k, v]) => [(k as { v: Value }).v, (v as { v: Value }).v] as const)) };
  return t;
}

export function collectDeclared(e: Expr, out: Set<string>): void {
  const b = e.e;
  const pat = (t: Term): void => {
    if (t.t === 'var') {
      if (t.name !== '_') out.add(t.name);
    } else if (t.t === 'array') t.items.forEach(pat);
    else if (t.t === 'object') t.entries.forEach(([, v]) => pat(v));
  };
  if (b.k === 'assign') pat(b.left);
  else if (b.k === 'some') b.vars.forEach(pat);
  else if (b.k === 'somein') {
    if (b.key) pat(b.key);
    pat(b.value);
  }
}

/** Variable names used directly in an expression (not in closures, not in declaring positions). */
export function collectMentioned(e: Expr, out: string[], isBuiltinName: (n: string) => boolean): void {
  const b = e.e;
  const term = (t: Term): void => {
    switch (t.t) {
      case 'var':
        out.push(t.name);
        return;
      case 'ref':
        if (t.head.t !== 'var') term(t.head);
        else out.push(t.head.name);
        t.path.forEach(term);
        return;
      case 'array':
      case 'set':
        t.items.forEach(term);
        return;
      case 'object':
        t.entries.forEach(([k, v]) => {
          term(k);
          term(v);
        });
        return;
      case 'call':
        t.args.forEach(term);
        return;
      default:
        return;
    }
  };
  const patNonVars = (t: Term): void => {
    if (t.t === 'array') t.items.forEach(patNonVars);
    else if (t.t === 'object')
      t.entries.forEach(([k, v]) => {
        term(k);
        patNonVars(v);
      });
    else if (t.t !== 'var') term(t);
  };
  switch (b.k) {
    case 'term':
      term(b.term);
      break;
    case 'unify':
      term(b.left);
      term(b.right);
      break;
    case 'assign':
      patNonVars(b.left);
      term(b.right);
      break;
    case 'somein':
      if (b.key) patNonVars(b.key);
      patNonVars(b.value);
      term(b.coll);
      break;
    case 'every':
      term(b.coll);
      break;
    case 'some':
      break;
  }
  for (const w of e.withs) if (!(w.value.t === 'var' && isBuiltinName(w.value.name))) term(w.value);
}
