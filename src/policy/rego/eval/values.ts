/** Small value operations the evaluator needs: lookups, iteration and copy-on-write updates. */
import { RObject, RSet, isNum, num } from '../value.ts';
import type { Value } from '../value.ts';

/** `v[key]` in Rego: array index, object key or set membership. */
export function lookup(v: Value, key: Value): Value | undefined {
  if (Array.isArray(v)) {
    if (!isNum(key) || !key.isInteger()) return undefined;
    const i = key.toNumber();
    return i >= 0 && i < v.length ? v[i] : undefined;
  }
  if (v instanceof RObject) return v.get(key);
  if (v instanceof RSet) return v.has(key) ? key : undefined;
  return undefined;
}

/**
 * A lookup in base data (OPA's storage): numbers used as keys of objects are read as their
 * decimal text, so `data.x[1]` finds `data.x["1"]` (storage.NewPathForRef).
 */
export function lookupBase(v: Value, key: Value): Value | undefined {
  if (v instanceof RObject && isNum(key)) return v.get(key.toString());
  return lookup(v, key);
}

/** Calls `f(key, value)` for each element; stops when `f` returns true. */
export function iterate(v: Value, f: (key: Value, val: Value) => boolean): boolean {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (f(num(i), v[i])) return true;
    return false;
  }
  if (v instanceof RObject) {
    for (const [k, x] of v.sortedEntries()) if (f(k, x)) return true;
    return false;
  }
  if (v instanceof RSet) {
    for (const x of v.sortedValues()) if (f(x, x)) return true;
    return false;
  }
  return false;
}

export function isCollection(v: Value): boolean {
  return Array.isArray(v) || v instanceof RObject || v instanceof RSet;
}

/** A copy of `base` (an object, or a new one) with `path` set to `value`. */
export function setPath(base: Value | undefined, path: string[], value: Value): Value {
  if (path.length === 0) return value;
  const obj = base instanceof RObject ? new RObject(base.entries()) : new RObject();
  obj.set(path[0], setPath(obj.get(path[0]), path.slice(1), value));
  return obj;
}
