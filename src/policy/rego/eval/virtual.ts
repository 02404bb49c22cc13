/**
 * Virtual documents: evaluating `data` refs over base data merged with rules, computing rule
 * values (complete, multi-value sets, objects with ref heads), functions and their conflicts.
 */
import type { CClause, CRule, CTerm } from '../compile/ir.ts';
import { ownRules } from '../compile/rule-tree.ts';
import type { TreeNode } from '../compile/rule-tree.ts';
import { RegoEvalError } from '../errors.ts';
import type { Loc } from '../errors.ts';
import { RObject, RSet, equals, keyOf } from '../value.ts';
import type { Value } from '../value.ts';
import type { Evaluator, KV } from './evaluator.ts';
import { lookup, lookupBase, setPath } from './values.ts';

function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
function startsWith(a: string[], prefix: string[]): boolean {
  return a.length >= prefix.length && prefix.every((x, i) => a[i] === x);
}

/** Patches `with data.…` overrides at or below `prefix` into a value. */
function applyOverrides(ev: Evaluator, v: Value | undefined, prefix: string[]): Value | undefined {
  let out = v;
  for (const o of ev.frame.dataOverrides) if (startsWith(o.path, prefix)) out = setPath(out, o.path.slice(prefix.length), o.value);
  return out;
}

export function evalDataRef(ev: Evaluator, path: CTerm[], k: KV): boolean {
  return dataWalk(ev, ev.program.tree.root, ev.program.data, [], path, 0, k);
}

function dataWalk(ev: Evaluator, node: TreeNode | undefined, base: Value | undefined, prefix: string[], path: CTerm[], i: number, k: KV): boolean {
  const ovs = ev.frame.dataOverrides;
  if (ovs.length) {
    for (let j = ovs.length - 1; j >= 0; j--)
      if (samePath(ovs[j].path, prefix)) {
        const v = applyOverrides(ev, ovs[j].value, prefix);
        return v !== undefined && ev.walk(v, path, i, k);
      }
  }
  if (!node || !node.hasRules) {
    const v = ovs.length ? applyOverrides(ev, base, prefix) : base;
    return v !== undefined && ev.walk(v, path, i, k, true);
  }
  if (ownRules(node).length) {
    let v = nodeValue(ev, node);
    if (ovs.length) v = applyOverrides(ev, v, prefix);
    return v !== undefined && ev.walk(v, path, i, k);
  }
  if (i === path.length) {
    const v = materialize(ev, node, base, prefix);
    return v !== undefined && k(v);
  }
  const op = path[i];
  const step = (key: Value): boolean => {
    if (typeof key === 'string' && node.children.has(key)) {
      const b = base === undefined ? undefined : lookup(base, key);
      return dataWalk(ev, node.children.get(key), b, [...prefix, key], path, i + 1, k);
    }
    const b = base === undefined ? undefined : lookupBase(base, key);
    const v = typeof key === 'string' && ovs.length ? applyOverrides(ev, b, [...prefix, key]) : b;
    return v !== undefined && ev.walk(v, path, i + 1, k, true);
  };
  if (!ev.hasUnboundPatternVars(op)) return ev.evalTerm(op, step);
  const keys = new Set<string>(node.children.keys());
  if (base instanceof RObject) for (const kk of base.keys()) if (typeof kk === 'string') keys.add(kk);
  for (const o of ovs) if (o.path.length > prefix.length && startsWith(o.path, prefix)) keys.add(o.path[prefix.length]);
  for (const key of [...keys].sort()) if (ev.unifyValue(op, key, () => step(key))) return true;
  return false;
}

/** The whole value at a node: its rules' value, or an object of its children merged with base data. */
function materialize(ev: Evaluator, node: TreeNode, base: Value | undefined, prefix: string[]): Value | undefined {
  let v: Value | undefined;
  if (ownRules(node).length) v = nodeValue(ev, node);
  else if (!node.hasRules) v = base;
  else {
    const obj = base instanceof RObject ? new RObject(base.entries()) : new RObject();
    for (const [name, child] of node.children) {
      if (!child.hasRules) continue;
      const bv = lookup(base ?? null, name);
      const cv = materialize(ev, child, bv, [...prefix, name]);
      // A whole document read above the rules: base data wins over a rule's value where both
      // define a leaf (OPA's evalTree merges the virtual document into the base one).
      if (cv !== undefined) obj.set(name, bv === undefined ? cv : mergeBaseWins(bv, cv));
      else if (bv === undefined) obj.delete(name);
    }
    v = obj;
  }
  return ev.frame.dataOverrides.length ? applyOverrides(ev, v, prefix) : v;
}

function mergeBaseWins(base: Value, virt: Value): Value {
  if (!(base instanceof RObject) || !(virt instanceof RObject)) return base;
  const out = new RObject(virt.entries());
  for (const [k, b] of base.entries()) {
    const x = out.get(k);
    out.set(k, x === undefined ? b : mergeBaseWins(b, x));
  }
  return out;
}

/** The value of the rules defined at a node (cached per evaluation frame). */
export function nodeValue(ev: Evaluator, node: TreeNode): Value | undefined {
  const hit = ev.frame.cache.get(node.id);
  if (hit) return hit.v;
  let v: Value | undefined;
  const fns = [...node.funcs, ...node.defaults.filter((d) => d.kind === 'func')];
  // Functions are not documents; zero-argument ones are readable as one (as regorus does).
  if (fns.length) v = fns.every((f) => (f.clauses[0].args?.length ?? 0) === 0) ? callFunction(ev, node.path, [], fns[0].loc) : undefined;
  else if (node.objects.length || node.sets.some((r) => r.keys.length > 0) || node.defaults.some((d) => d.keys.length > 0)) v = objectNodeValue(ev, node);
  else if (node.sets.length) v = setNodeValue(ev, node);
  else v = completeValue(ev, node);
  ev.frame.cache.set(node.id, { v });
  return v;
}

// OPA's messages (topdown/eval.go); the older wording is kept after them for regorus's cases.
const ruleConflict = (r: CRule) => `rule ${r.ref} produced conflicting values (complete rules must not produce multiple outputs)`;
const funcConflict = (r: CRule) => `function ${r.ref} produced conflicting values for the same inputs (functions must not produce multiple outputs for same inputs)`;

function conflict(loc: Loc, msg: string): never {
  throw new RegoEvalError('eval_conflict_error', msg, loc);
}

/** Runs one clause body and calls `each` per solution; `each` returns true to stop. */
function runClause(ev: Evaluator, c: CClause, each: () => boolean, args?: Value[]): void {
  ev.withEnv(() => {
    if (args && c.args) {
      const step = (i: number): boolean => (i === args.length ? ev.evalBody(c.body, 0, each) : ev.unifyValue(c.args![i], args[i], () => step(i + 1)));
      step(0);
    } else ev.evalBody(c.body, 0, each);
  });
}

/** Value of a complete rule or function (else chain); conflicts between solutions are errors. */
function ruleValue(ev: Evaluator, rule: CRule, msg: string, args?: Value[]): Value | undefined {
  for (const c of rule.clauses) {
    let result: Value | undefined;
    runClause(
      ev,
      c,
      () =>
        ev.evalTerm(c.value, (v) => {
          if (result === undefined) {
            result = v;
            ev.trace(rule.ref, c.loc, v);
          } else if (!equals(result, v)) conflict(rule.loc, msg);
          return rule.constant;
        }),
      args,
    );
    if (result !== undefined) return result;
  }
  return undefined;
}

function completeValue(ev: Evaluator, node: TreeNode): Value | undefined {
  let value: Value | undefined;
  let from: CRule | undefined;
  for (const r of node.complete) {
    const v = ruleValue(ev, r, ruleConflict(r));
    if (v === undefined) continue;
    if (value !== undefined && !equals(value, v)) conflict(r.loc, ruleConflict(from!));
    value = v;
    from = r;
  }
  const dflt = node.defaults.find((d) => d.keys.length === 0);
  if (value === undefined && dflt) value = ruleValue(ev, dflt, 'default');
  return value;
}

/** Objects and sets built here (safe to extend); anything else may be shared and is copied first. */
const owned = new WeakSet<object>();

function ownedObject(v: RObject): RObject {
  if (owned.has(v)) return v;
  const o = new RObject(v.entries());
  owned.add(o);
  return o;
}

/** Inserts `leaf` under nested keys of `obj` (owned); object leaves merge, sets unite, other leaves must agree. */
function insertNested(obj: RObject, keys: Value[], leaf: Value, loc: Loc): void {
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const next = cur.get(keys[i]);
    if (next === undefined || next instanceof RObject) {
      const o = next === undefined ? new RObject() : ownedObject(next);
      owned.add(o);
      cur.set(keys[i], o);
      cur = o;
    } else conflict(loc, 'object keys must be unique');
  }
  const last = keys[keys.length - 1];
  const prev = cur.get(last);
  if (prev === undefined) cur.set(last, leaf);
  else if (prev instanceof RObject && leaf instanceof RObject) {
    const merged = ownedObject(prev);
    cur.set(last, merged);
    for (const [k2, v2] of leaf.entries()) insertNested(merged, [k2], v2, loc);
  } else if (prev instanceof RSet && leaf instanceof RSet) {
    let merged = prev;
    if (!owned.has(prev)) {
      merged = new RSet(prev.values());
      owned.add(merged);
      cur.set(last, merged);
    }
    for (const x of leaf.values()) merged.add(x);
  }
  else if (!equals(prev, leaf)) conflict(loc, 'object keys must be unique');
}

function evalKeys(ev: Evaluator, keys: CTerm[], i: number, acc: Value[], k: (ks: Value[]) => boolean): boolean {
  if (i === keys.length) return k(acc.slice());
  return ev.evalTerm(keys[i], (v) => {
    acc[i] = v;
    return evalKeys(ev, keys, i + 1, acc, k);
  });
}

function setNodeValue(ev: Evaluator, node: TreeNode): Value {
  const out = new RSet();
  for (const r of node.sets) {
    const c = r.clauses[0];
    runClause(ev, c, () =>
      ev.evalTerm(r.elem!, (x) => {
        ev.trace(r.ref, c.loc, x);
        out.add(x);
        return r.constant;
      }),
    );
  }
  return out;
}

/** Multi-value rules with a dynamic head (`a[x] contains y`) add sets under nested keys. */
function keyedSetsInto(ev: Evaluator, node: TreeNode, obj: RObject): void {
  for (const r of node.sets) {
    const c = r.clauses[0];
    runClause(ev, c, () =>
      evalKeys(ev, r.keys, 0, [], (ks) =>
        ev.evalTerm(r.elem!, (x) => {
          ev.trace(r.ref, c.loc, x);
          const leaf = new RSet([x]);
          owned.add(leaf);
          insertNested(obj, ks, leaf, r.loc);
          return r.constant;
        }),
      ),
    );
  }
}

function objectNodeValue(ev: Evaluator, node: TreeNode): Value {
  const obj = new RObject();
  for (const r of node.objects) {
    const c = r.clauses[0];
    runClause(ev, c, () =>
      evalKeys(ev, r.keys, 0, [], (ks) =>
        ev.evalTerm(c.value, (v) => {
          ev.trace(r.ref, c.loc, [ks.length === 1 ? ks[0] : ks, v]);
          insertNested(obj, ks, v, r.loc);
          return r.constant;
        }),
      ),
    );
  }
  keyedSetsInto(ev, node, obj);
  // `default p[k] := v` (constant k): v where no other rule defines p[k].
  for (const d of node.defaults) {
    if (d.keys.length === 0) continue;
    const ks = d.keys.map((t) => (t.t === 'val' ? t.v : null));
    let cur: Value | undefined = obj;
    for (const k of ks) cur = cur === undefined ? undefined : lookup(cur, k);
    if (cur !== undefined) continue;
    const v = ruleValue(ev, d, 'default');
    if (v !== undefined) insertNested(obj, ks, v, d.loc);
  }
  for (const [name, child] of node.children) {
    if (!child.hasRules) continue;
    const cv = materialize(ev, child, undefined, [...node.path, name]);
    if (cv !== undefined) insertNested(obj, [name], cv, ownRules(node)[0].loc);
  }
  return obj;
}

/** Calls the user function at `path`; undefined when no definition applies. */
export function callFunction(ev: Evaluator, path: string[], args: Value[], loc: Loc): Value | undefined {
  const node = ev.program.tree.find(path);
  if (!node) throw new RegoEvalError('eval_internal_error', `undefined function data.${path.join('.')}`, loc);
  const key = node.id + ':' + args.map(keyOf).join(',') + (ev.suppressed.size ? '|' + [...ev.suppressed].join(',') : '');
  const hit = ev.frame.fnCache.get(key);
  if (hit) return hit.v;
  let value: Value | undefined;
  for (const r of node.funcs) {
    const v = ruleValue(ev, r, funcConflict(r), args);
    if (v === undefined) continue;
    if (value !== undefined && !equals(value, v)) conflict(r.loc, funcConflict(r));
    value = v;
  }
  if (value === undefined && node.defaults.length) value = ruleValue(ev, node.defaults[0], 'default', args);
  ev.frame.fnCache.set(key, { v: value });
  return value;
}
