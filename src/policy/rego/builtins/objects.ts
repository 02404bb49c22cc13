/** Object builtins: object.get/keys/remove/filter/union/union_n/subset (OPA topdown/object.go, subset.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { BuiltinError } from '../builtin-types.ts';
import { compare, equals, isNum, RObject, RSet } from '../value.ts';
import type { RArray, Value } from '../value.ts';
import { arr, elemErr, obj, typeErr } from './operands.ts';

/** Follows `path` through objects (keys), arrays (integer indexes) and sets (members). */
export function findPath(root: Value, path: RArray): Value | undefined {
  let cur: Value = root;
  for (const step of path) {
    if (cur instanceof RObject) {
      const next = cur.get(step);
      if (next === undefined) return undefined;
      cur = next;
    } else if (Array.isArray(cur)) {
      if (!isNum(step) || !step.isInteger() || step.isNeg() || step.gte(cur.length)) return undefined;
      cur = cur[step.toNumber()];
    } else if (cur instanceof RSet) {
      if (!cur.has(step)) return undefined;
      cur = step;
    } else return undefined;
  }
  return cur;
}

function keysParam(name: string, v: Value): RSet {
  if (Array.isArray(v)) return new RSet(v);
  if (v instanceof RSet) return v;
  if (v instanceof RObject) return new RSet(v.keys());
  throw typeErr(name, 2, v, 'object', 'set', 'array');
}

/** Recursive merge where b wins, except that two objects under the same key are merged. */
export function mergeObjects(a: RObject, b: RObject): RObject {
  const out = new RObject(a.entries());
  for (const [k, vb] of b.entries()) {
    const va = out.get(k);
    out.set(k, va instanceof RObject && vb instanceof RObject ? mergeObjects(va, vb) : vb);
  }
  return out;
}

function objectSubset(sup: RObject, sub: RObject): boolean {
  for (const [k, vs] of sub.entries()) {
    const vp = sup.get(k);
    if (vp === undefined) return false;
    if (equals(vp, vs)) continue;
    if (vp instanceof RObject && vs instanceof RObject) {
      if (!objectSubset(vp, vs)) return false;
    } else if (vp instanceof RSet && vs instanceof RSet) {
      if (!setSubset(vp, vs)) return false;
    } else if (Array.isArray(vp) && Array.isArray(vs)) {
      if (!arraySubset(vp, vs)) return false;
    } else return false;
  }
  return true;
}

function setSubset(sup: RSet, sub: RSet): boolean {
  for (const x of sub.values()) if (!sup.has(x)) return false;
  return true;
}

/** The whole `sub` array appears contiguously in `sup`. */
function arraySubset(sup: RArray, sub: RArray): boolean {
  if (sub.length > sup.length) return false;
  outer: for (let i = 0; i + sub.length <= sup.length; i++) {
    for (let j = 0; j < sub.length; j++) if (compare(sup[i + j], sub[j]) !== 0) continue outer;
    return true;
  }
  return false;
}

/** OPA: every member of the set occurs in the array; quirk kept: an empty set is not a subset of an empty array. */
function arraySetSubset(sup: RArray, sub: RSet): boolean {
  let unmatched = sub.size;
  for (const x of sup) {
    if (sub.has(x)) unmatched--;
    if (unmatched <= 0) return true;
  }
  return false;
}

function subset(args: Value[]): Value {
  const [sup, sub] = args;
  if (sup instanceof RObject && sub instanceof RObject) return objectSubset(sup, sub);
  if (sup instanceof RSet && sub instanceof RSet) return setSubset(sup, sub);
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub);
  if (Array.isArray(sup) && sub instanceof RSet) return arraySetSubset(sup, sub);
  throw new BuiltinError('object.subset', 'both arguments object.subset must be of the same type or array and set', 'type');
}

export const objectBuiltins: BuiltinDef[] = [
  {
    name: 'object.get',
    arity: 3,
    fn: (a) => {
      const o = obj('object.get', a, 0);
      // A key present with the value null is found (`??` would take the default).
      const found = Array.isArray(a[1]) ? findPath(o, a[1]) : o.get(a[1]);
      return found === undefined ? a[2] : found;
    },
  },
  { name: 'object.keys', arity: 1, fn: (a) => new RSet(obj('object.keys', a, 0).keys()) },
  {
    name: 'object.remove',
    arity: 2,
    fn: (a) => {
      const o = obj('object.remove', a, 0);
      const drop = keysParam('object.remove', a[1]);
      return new RObject([...o.entries()].filter(([k]) => !drop.has(k)));
    },
  },
  {
    name: 'object.filter',
    arity: 2,
    fn: (a) => {
      const o = obj('object.filter', a, 0);
      const keep = keysParam('object.filter', a[1]);
      return new RObject([...o.entries()].filter(([k]) => keep.has(k)));
    },
  },
  { name: 'object.union', arity: 2, fn: (a) => mergeObjects(obj('object.union', a, 0), obj('object.union', a, 1)) },
  {
    name: 'object.union_n',
    arity: 1,
    fn: (a) => {
      const xs = arr('object.union_n', a, 0);
      let out = new RObject();
      for (const x of xs) {
        if (!(x instanceof RObject)) throw elemErr('object.union_n', 1, xs, x, 'object');
        out = mergeObjects(out, x);
      }
      return out;
    },
  },
  { name: 'object.subset', arity: 2, fn: subset },
];
