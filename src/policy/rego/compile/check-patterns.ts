/**
 * Static checks on unification of literal structures, as OPA's type checker reports them:
 * `[x, y] = [1, 2, 3]`, `[x] = {"k": 1}`, `{"a": x} = {"b": 1}`, `some x in 0`.
 */
import { problem } from '../errors.ts';
import type { Loc, RegoProblem } from '../errors.ts';
import { RObject, RSet, keyOf } from '../value.ts';
import type { Value } from '../value.ts';
import { forEachChild } from './ir.ts';
import type { CExpr, CTerm } from './ir.ts';

type Shape = { k: 'array'; items: Shape[] } | { k: 'object'; entries: Map<string, Shape> | undefined } | { k: 'scalar' } | { k: 'set' } | { k: 'any' };

function valueShape(v: Value): Shape {
  if (Array.isArray(v)) return { k: 'array', items: v.map(valueShape) };
  if (v instanceof RObject) return { k: 'object', entries: new Map([...v.entries()].map(([k, x]) => [keyOf(k), valueShape(x)])) };
  if (v instanceof RSet) return { k: 'set' };
  return { k: 'scalar' };
}

function termShape(t: CTerm): Shape {
  switch (t.t) {
    case 'val':
      return valueShape(t.v);
    case 'array':
      return { k: 'array', items: t.items.map(termShape) };
    case 'object': {
      if (!t.entries.every(([k]) => k.t === 'val')) return { k: 'object', entries: undefined };
      return { k: 'object', entries: new Map(t.entries.map(([k, v]) => [keyOf((k as { v: Value }).v), termShape(v)])) };
    }
    case 'set':
      return { k: 'set' };
    default:
      return { k: 'any' };
  }
}

/** A reason the two shapes can never unify, or undefined. */
function mismatch(a: Shape, b: Shape): string | undefined {
  if (a.k === 'any' || b.k === 'any') return undefined;
  if (a.k !== b.k) return a.k === 'scalar' && b.k === 'scalar' ? undefined : `${a.k} cannot match ${b.k}`;
  if (a.k === 'array' && b.k === 'array') {
    if (a.items.length !== b.items.length) return `mismatch in number of array elements (${a.items.length} and ${b.items.length})`;
    for (let i = 0; i < a.items.length; i++) {
      const m = mismatch(a.items[i], b.items[i]);
      if (m) return m;
    }
  }
  if (a.k === 'object' && b.k === 'object' && a.entries && b.entries) {
    const ka = [...a.entries.keys()].sort();
    const kb = [...b.entries.keys()].sort();
    if (ka.join('\u0000') !== kb.join('\u0000')) return 'object keys mismatch';
    for (const k of ka) {
      const m = mismatch(a.entries.get(k)!, b.entries.get(k)!);
      if (m) return m;
    }
  }
  return undefined;
}

export function checkPatterns(body: CExpr[], problems: RegoProblem[]): void {
  for (const e of body) checkExpr(e, problems);
}

function report(problems: RegoProblem[], loc: Loc, msg: string): void {
  problems.push(problem(loc, 'rego_type_error', `match error: ${msg}`));
}

function checkExpr(e: CExpr, problems: RegoProblem[]): void {
  const b = e.e;
  if (b.k === 'unify') {
    const m = mismatch(termShape(b.left), termShape(b.right));
    if (m) report(problems, e.loc, m);
    checkTerm(b.left, problems);
    checkTerm(b.right, problems);
  } else if (b.k === 'somein' || b.k === 'every') {
    checkTerm(b.coll, problems);
    if (b.coll.t === 'val') {
      const c = b.coll.v;
      if (!(Array.isArray(c) || c instanceof RObject || c instanceof RSet)) {
        if (b.k === 'somein') problems.push(problem(e.loc, 'rego_type_error', '`some .. in` collection must be an array, set or object'));
      }
      else {
        const elems = Array.isArray(c) ? c : c instanceof RSet ? [...c.values()] : [...c.entries()].map(([, v]) => v);
        const pat = termShape(b.value);
        if (elems.length > 0 && elems.every((x) => mismatch(pat, valueShape(x)))) report(problems, e.loc, mismatch(pat, valueShape(elems[0]))!);
      }
    }
    if (b.k === 'every') checkPatterns(b.body, problems);
  } else if (b.k === 'term') checkTerm(b.term, problems);
}

function checkTerm(t: CTerm, problems: RegoProblem[]): void {
  if (t.t === 'compr') checkPatterns(t.body, problems);
  else forEachChild(t, (x) => checkTerm(x, problems));
}
