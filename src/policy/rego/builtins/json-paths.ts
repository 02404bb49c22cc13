/** json.filter and json.remove: keep or drop paths ("a/b/0" strings or ["a","b",0] arrays) (OPA topdown/json.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { BuiltinError } from '../builtin-types.ts';
import { keyOf, RObject, RSet, typeName } from '../value.ts';
import type { Value } from '../value.ts';
import { obj, typeErr } from './operands.ts';

/** A path tree: `null` marks a whole subtree. */
type Tree = Map<string, { key: Value; sub: Tree | null }>;

function parsePath(name: string, p: Value): Value[] {
  if (typeof p === 'string') {
    if (p === '') return [];
    return p.replace(/^\/+/, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  if (Array.isArray(p)) return [...p];
  // OPA's getJSONPaths wording (the container's type is not named, the element's is).
  throw new BuiltinError(name, `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`, 'type');
}

function buildTree(name: string, paths: Value): Tree | null {
  if (!Array.isArray(paths) && !(paths instanceof RSet)) throw typeErr(name, 2, paths, 'set', 'array');
  const root: Tree = new Map();
  for (const p of Array.isArray(paths) ? paths : paths.sortedValues()) {
    const segs = parsePath(name, p);
    if (segs.length === 0) return null;
    let node: Tree = root;
    for (let i = 0; i < segs.length; i++) {
      const k = segKey(segs[i]);
      const last = i === segs.length - 1;
      const entry = node.get(k);
      if (entry && entry.sub === null) break; // a shorter path already covers this one
      if (last) {
        node.set(k, { key: segs[i], sub: null });
        break;
      }
      const sub: Tree = entry?.sub ?? new Map();
      node.set(k, { key: segs[i], sub });
      node = sub;
    }
  }
  return root;
}

/** OPA matches array elements by their index as a string ("0"), so numeric segments never select array elements. */
function segKey(v: Value): string {
  return keyOf(v);
}

function filter(v: Value, tree: Tree | null): Value {
  if (tree === null) return v;
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.entries()) {
      const e = tree.get(segKey(k));
      if (e) out.set(k, filter(x, e.sub));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const e = tree.get(keyOf(String(i)));
      if (e) out.push(filter(x, e.sub));
    });
    return out;
  }
  if (v instanceof RSet) return new RSet(v.sortedValues().filter((x) => tree.has(segKey(x))).map((x) => filter(x, tree.get(segKey(x))!.sub)));
  return v;
}

function remove(v: Value, tree: Tree): Value {
  if (v instanceof RObject) {
    const out = new RObject();
    for (const [k, x] of v.entries()) {
      const e = tree.get(segKey(k));
      if (!e) out.set(k, x);
      else if (e.sub !== null) out.set(k, remove(x, e.sub));
    }
    return out;
  }
  if (Array.isArray(v)) {
    const out: Value[] = [];
    v.forEach((x, i) => {
      const e = tree.get(keyOf(String(i)));
      if (!e) out.push(x);
      else if (e.sub !== null) out.push(remove(x, e.sub));
    });
    return out;
  }
  if (v instanceof RSet) {
    const out = new RSet();
    for (const x of v.sortedValues()) {
      const e = tree.get(segKey(x));
      if (!e) out.add(x);
      else if (e.sub !== null) out.add(remove(x, e.sub));
    }
    return out;
  }
  return v;
}

export const jsonPathBuiltins: BuiltinDef[] = [
  {
    name: 'json.filter',
    arity: 2,
    fn: (a) => filter(obj('json.filter', a, 0), buildTree('json.filter', a[1])),
  },
  {
    name: 'json.remove',
    arity: 2,
    fn: (a) => {
      const o = obj('json.remove', a, 0);
      const tree = buildTree('json.remove', a[1]);
      return tree === null ? new RObject() : remove(o, tree);
    },
  },
];
