/**
 * Rego values, shared by the interpreter and the builtins.
 *
 * Representation:
 *   null → null, boolean → boolean, string → string,
 *   number → Decimal (decimal.js; arbitrary precision like OPA's json.Number / big.Float),
 *   array → RArray (readonly Value[]), set → RSet, object → RObject (any key type).
 * `undefined` (the JS value) is never a Value: it means "undefined" in Rego.
 */
import { Decimal } from 'decimal.js';

export const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpPos: 21, toExpNeg: -7 });
export type Num = InstanceType<typeof D>;

export type Value = null | boolean | string | Num | RArray | RSet | RObject;
export type RArray = readonly Value[];

export class RegoTypeError extends Error {}

export function isNum(v: unknown): v is Num {
  return v instanceof D;
}
export function num(n: number | string | bigint | Num): Num {
  return n instanceof D ? n : new D(typeof n === 'bigint' ? n.toString() : n);
}

/** OPA's sort order of types: null < boolean < number < string < array < object < set. */
export function typeRank(v: Value): number {
  if (v === null) return 0;
  if (typeof v === 'boolean') return 1;
  if (isNum(v)) return 2;
  if (typeof v === 'string') return 3;
  if (Array.isArray(v)) return 6;
  if (v instanceof RObject) return 7;
  return 8; // RSet
}

/** Rego type names as returned by `type_name`. */
export function typeName(v: Value): 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'set' {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (isNum(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return 'array';
  if (v instanceof RObject) return 'object';
  return 'set';
}

/** Canonical key: equal values (in Rego's sense) have equal keys. 1 and 1.0 are equal numbers. */
export function keyOf(v: Value): string {
  if (v === null) return 'n';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (isNum(v)) return 'd' + canonicalNumber(v);
  if (typeof v === 'string') return 's' + JSON.stringify(v);
  if (Array.isArray(v)) return 'a[' + v.map(keyOf).join(',') + ']';
  if (v instanceof RObject) return 'o{' + v.sortedEntries().map(([k, x]) => keyOf(k) + ':' + keyOf(x)).join(',') + '}';
  return 'S{' + (v as RSet).sortedValues().map(keyOf).join(',') + '}';
}

function canonicalNumber(n: Num): string {
  if (n.isZero()) return '0';
  return n.toString();
}

export function compareStrings(a: string, b: string): number {
  // Go compares strings bytewise (UTF-8); for BMP text code-unit order matches except surrogates.
  if (a === b) return 0;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

/** Total order over values, as OPA's ast.Compare. */
export function compare(a: Value, b: Value): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return a === b ? 0 : a ? 1 : -1;
    case 2:
      return (a as Num).comparedTo(b as Num);
    case 3:
      return compareStrings(a as string, b as string);
    case 6:
      return compareSeq(a as RArray, b as RArray);
    case 7: {
      const ea = (a as RObject).sortedEntries();
      const eb = (b as RObject).sortedEntries();
      const n = Math.min(ea.length, eb.length);
      for (let i = 0; i < n; i++) {
        const ck = compare(ea[i][0], eb[i][0]);
        if (ck !== 0) return ck;
        const cv = compare(ea[i][1], eb[i][1]);
        if (cv !== 0) return cv;
      }
      return ea.length - eb.length === 0 ? 0 : ea.length < eb.length ? -1 : 1;
    }
    default:
      return compareSeq((a as RSet).sortedValues(), (b as RSet).sortedValues());
  }
}

function compareSeq(a: RArray, b: RArray): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ra = typeRank(a);
  if (ra !== typeRank(b)) return false;
  if (ra === 2) return (a as Num).eq(b as Num);
  if (ra <= 3) return false;
  if (ra === 6) {
    const x = a as RArray;
    const y = b as RArray;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!equals(x[i], y[i])) return false;
    return true;
  }
  if (ra === 7) {
    const x = a as RObject;
    const y = b as RObject;
    if (x.size !== y.size) return false;
    for (const [k, v] of x.entries()) {
      const w = y.get(k);
      if (w === undefined || !equals(v, w)) return false;
    }
    return true;
  }
  const x = a as RSet;
  const y = b as RSet;
  if (x.size !== y.size) return false;
  for (const v of x.values()) if (!y.has(v)) return false;
  return true;
}

/** An immutable-by-convention set of values. */
export class RSet {
  private readonly map = new Map<string, Value>();
  private sorted: Value[] | undefined;
  constructor(values: Iterable<Value> = []) {
    for (const v of values) this.add(v);
  }
  add(v: Value): this {
    const k = keyOf(v);
    if (!this.map.has(k)) {
      this.map.set(k, v);
      this.sorted = undefined;
    }
    return this;
  }
  has(v: Value): boolean {
    return this.map.has(keyOf(v));
  }
  get size(): number {
    return this.map.size;
  }
  values(): IterableIterator<Value> {
    return this.map.values();
  }
  sortedValues(): Value[] {
    this.sorted ??= [...this.map.values()].sort(compare);
    return this.sorted;
  }
}

/** An object whose keys may be any value. */
export class RObject {
  private readonly map = new Map<string, [Value, Value]>();
  private sorted: [Value, Value][] | undefined;
  constructor(entries: Iterable<readonly [Value, Value]> = []) {
    for (const [k, v] of entries) this.set(k, v);
  }
  set(k: Value, v: Value): this {
    this.map.set(keyOf(k), [k, v]);
    this.sorted = undefined;
    return this;
  }
  get(k: Value): Value | undefined {
    return this.map.get(keyOf(k))?.[1];
  }
  has(k: Value): boolean {
    return this.map.has(keyOf(k));
  }
  delete(k: Value): boolean {
    this.sorted = undefined;
    return this.map.delete(keyOf(k));
  }
  get size(): number {
    return this.map.size;
  }
  keys(): Value[] {
    return this.sortedEntries().map((e) => e[0]);
  }
  entries(): IterableIterator<[Value, Value]> {
    return this.map.values();
  }
  sortedEntries(): [Value, Value][] {
    this.sorted ??= [...this.map.values()].sort((x, y) => compare(x[0], y[0]));
    return this.sorted;
  }
}

/** Converts parsed JSON (or YAML) to a Rego value. Numbers keep their source text when given as strings via `fromJSONText`. */
export function fromJS(x: unknown): Value {
  if (x === null || x === undefined) return null;
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'number') return num(x);
  if (typeof x === 'bigint') return num(x);
  if (x instanceof D) return x;
  if (x instanceof RSet || x instanceof RObject) return x;
  if (Array.isArray(x)) return x.map(fromJS);
  if (x instanceof Set) return new RSet([...x].map(fromJS));
  if (typeof x === 'object') return new RObject(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, fromJS(v)] as const));
  throw new RegoTypeError(`cannot convert ${typeof x} to a Rego value`);
}

/**
 * Converts a Rego value to plain JSON-compatible JS. Sets become sorted arrays; object keys that are
 * not strings are serialised with their JSON text (as OPA does when it marshals non-string keys).
 * Integers beyond 2^53 become strings only when `bigAsString` is set; otherwise the nearest double.
 */
export function toJS(v: Value): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (isNum(v)) return v.toNumber();
  if (Array.isArray(v)) return v.map(toJS);
  if (v instanceof RSet) return v.sortedValues().map(toJS);
  const out: Record<string, unknown> = {};
  for (const [k, x] of (v as RObject).sortedEntries()) out[typeof k === 'string' ? k : toJSONText(k)] = toJS(x);
  return out;
}

/** JSON text of a value, with numbers printed exactly and object keys sorted (OPA's canonical form). */
export function toJSONText(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (isNum(v)) return v.isInteger() ? v.toFixed(0) : v.toString();
  if (Array.isArray(v)) return '[' + v.map(toJSONText).join(',') + ']';
  if (v instanceof RSet) return '[' + v.sortedValues().map(toJSONText).join(',') + ']';
  return (
    '{' +
    (v as RObject)
      .sortedEntries()
      .map(([k, x]) => JSON.stringify(typeof k === 'string' ? k : toJSONText(k)) + ':' + toJSONText(x))
      .join(',') +
    '}'
  );
}

/** Parses JSON text to a Rego value, keeping the exact digits of numbers (no float rounding). */
export function fromJSONText(text: string): Value {
  const marker = '~#num#~';
  const parsed = JSON.parse(text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, (m, s: string | undefined, n: string | undefined) => (s ? s : `"${marker}${n}"`)), (_k, x) =>
    typeof x === 'string' && x.startsWith(marker) ? new D(x.slice(marker.length)) : x,
  );
  return fromJS(parsed);
}
