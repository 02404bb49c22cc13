/**
 * `json.patch(target, operations)`: RFC 6902 JSON Patch as OPA applies it (topdown/json.go with its
 * edit tree): paths are JSON pointers ("/a/0", `~1` = `/`, `~0` = `~`) or arrays of segments;
 * objects are addressed by key, arrays by index ("-" appends), sets by member value. Any failing
 * operation fails the whole call (an error: undefined unless builtin errors are strict). Values are
 * immutable, so the target is never modified.
 */
import type { BuiltinDef } from '../builtin-types.ts';
import { equals, isNum, RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { arr, evalErr } from './operands.ts';

const NAME = 'json.patch';

function fail(message: string): never {
  throw evalErr(NAME, message);
}

/** A path operand: "" is the root; otherwise leading slashes are dropped and segments unescaped. */
function parsePointer(p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return [...p];
  return fail(`operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`);
}

/** An array position: an integer number, or a string of digits without leading zeros, or "-" (the end). */
function arrayIndex(len: number, key: Value): number {
  if (isNum(key)) {
    if (!key.isInteger() || key.abs().gt(Number.MAX_SAFE_INTEGER)) fail('invalid number type for indexing');
    return key.toNumber();
  }
  if (typeof key === 'string') {
    if (key === '-') return len;
    if (!/^-?\d+$/.test(key) || key.replace(/^-/, '').length > 15) fail('invalid string for indexing');
    if (key !== '0' && key.startsWith('0')) fail('leading zeros are not allowed in JSON paths');
    return Number(key);
  }
  return fail('invalid type for indexing');
}

/** The child of a composite at `key`, or a failure naming what is missing. */
function child(v: Value, key: Value): Value {
  if (v instanceof RObject) {
    const c = v.get(key);
    return c === undefined ? fail(`path not found: key ${JSON.stringify(key)}`) : c;
  }
  if (v instanceof RSet) return v.has(key) ? key : fail('path not found: set member');
  if (Array.isArray(v)) {
    const i = arrayIndex(v.length, key);
    return i >= 0 && i < v.length ? v[i] : fail('index out of bounds');
  }
  return fail(`expected composite type, found ${typeName(v)}`);
}

/** A copy of composite `v` whose child at `key` (which exists) is replaced by `next`. */
function withChild(v: Value, key: Value, next: Value): Value {
  if (v instanceof RObject) return new RObject(v.entries()).set(key, next);
  if (v instanceof RSet) {
    // Sets are content-addressed: the changed member replaces the old one.
    const out = new RSet([...v.values()].filter((m) => !equals(m, key)));
    return out.add(next);
  }
  const a = (v as readonly Value[]).slice();
  a[arrayIndex(a.length, key)] = next;
  return a;
}

/** Applies `edit` to the value at `path` (which must exist) and rebuilds the ancestors. */
function editAt(root: Value, path: Value[], edit: (v: Value) => Value): Value {
  if (path.length === 0) return edit(root);
  const [key, ...rest] = path;
  return withChild(root, key, editAt(child(root, key), rest, edit));
}

function insertInto(parent: Value, key: Value, value: Value): Value {
  if (parent instanceof RObject) return new RObject(parent.entries()).set(key, value);
  if (parent instanceof RSet) {
    if (!equals(key, value)) fail('set key does not equal value to be inserted');
    return new RSet(parent.values()).add(value);
  }
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent.length, key);
    if (i < 0 || i > parent.length) fail('index for array insertion out of bounds');
    return [...parent.slice(0, i), value, ...parent.slice(i)];
  }
  return fail(`expected composite type, found ${typeName(parent)}`);
}

function deleteFrom(parent: Value, key: Value): Value {
  if (parent instanceof RObject) {
    if (!parent.has(key)) fail(`cannot delete missing key ${JSON.stringify(key)}`);
    const out = new RObject(parent.entries());
    out.delete(key);
    return out;
  }
  if (parent instanceof RSet) {
    if (!parent.has(key)) fail('cannot delete missing set member');
    return new RSet([...parent.values()].filter((m) => !equals(m, key)));
  }
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent.length, key);
    if (i < 0 || i >= parent.length) fail('index for array deletion out of bounds');
    return [...parent.slice(0, i), ...parent.slice(i + 1)];
  }
  return fail(`expected composite type, found ${typeName(parent)}`);
}

/** The document under edit; `undefined` after the root itself was removed. */
type Doc = Value | undefined;

function live(doc: Doc): Value {
  return doc === undefined ? fail('deleted node encountered') : doc;
}

function insertAt(doc: Doc, path: Value[], value: Value): Doc {
  if (path.length === 0) return value;
  return editAt(live(doc), path.slice(0, -1), (p) => insertInto(p, path[path.length - 1], value));
}

function deleteAt(doc: Doc, path: Value[]): Doc {
  if (path.length === 0) {
    live(doc);
    return undefined;
  }
  return editAt(live(doc), path.slice(0, -1), (p) => deleteFrom(p, path[path.length - 1]));
}

function valueAt(doc: Doc, path: Value[]): Value {
  let cur = live(doc);
  for (const key of path) cur = child(cur, key);
  return cur;
}

function attr(op: RObject, name: string): Value {
  const v = op.get(name);
  return v === undefined ? fail(`missing required attribute '${name}'`) : v;
}

function applyOne(doc: Doc, op: Value): Doc {
  if (!(op instanceof RObject)) return fail('must be an array of JSON-Patch objects, but at least one element is not an object');
  attr(op, 'path');
  const kind = attr(op, 'op');
  if (typeof kind !== 'string') return fail(`attribute 'op' must be a string but found: ${typeName(kind)}`);
  const path = parsePointer(attr(op, 'path'));
  switch (kind) {
    case 'add':
      return insertAt(doc, path, attr(op, 'value'));
    case 'remove':
      return deleteAt(doc, path);
    case 'replace': {
      const removed = deleteAt(doc, path);
      return insertAt(removed, path, attr(op, 'value'));
    }
    case 'move': {
      const from = parsePointer(attr(op, 'from'));
      const chunk = valueAt(doc, from);
      return insertAt(deleteAt(doc, from), path, chunk);
    }
    case 'copy': {
      const from = parsePointer(attr(op, 'from'));
      return insertAt(doc, path, valueAt(doc, from));
    }
    case 'test': {
      const actual = valueAt(doc, path);
      if (!equals(actual, attr(op, 'value'))) fail('test operation failed: value at path differs');
      return doc;
    }
    default:
      return fail(`unrecognized op: '${kind}'`);
  }
}

export function jsonPatch(target: Value, operations: readonly Value[]): Value | undefined {
  let doc: Doc = target;
  for (const op of operations) doc = applyOne(doc, op);
  return doc;
}

export const jsonPatchBuiltins: BuiltinDef[] = [{ name: NAME, arity: 2, fn: (a) => jsonPatch(a[0], arr(NAME, a, 1)) }];
