/** Detects recursion between rules (OPA rejects it at compile time: rego_recursion_error). */
import { problem } from '../errors.ts';
import type { RegoProblem } from '../errors.ts';
import { forEachChild } from './ir.ts';
import type { CExpr, CRule, CTerm } from './ir.ts';
import { ownRules } from './rule-tree.ts';
import type { RuleTree, TreeNode } from './rule-tree.ts';

/** Adds the rule nodes strictly above the end of `prefix`; returns the node it ends at, if any. */
function walkPrefix(tree: RuleTree, prefix: string[], out: Set<TreeNode>): TreeNode | undefined {
  let n: TreeNode | undefined = tree.root;
  for (const p of prefix) {
    if (ownRules(n).length) out.add(n);
    n = n.children.get(p);
    if (!n) return undefined;
  }
  return n;
}

/** Rule nodes a data path (static prefix of a ref) may read. */
function nodesRead(tree: RuleTree, prefix: string[], out: Set<TreeNode>): void {
  const all = (x: TreeNode): void => {
    if (!x.hasRules) return;
    if (ownRules(x).length) out.add(x);
    for (const c of x.children.values()) all(c);
  };
  const n = walkPrefix(tree, prefix, out);
  if (n) all(n);
}

/** Rule nodes on the path only (a ref continuing with a constant non-string key reads no rule below). */
function nodesAlong(tree: RuleTree, prefix: string[], out: Set<TreeNode>): void {
  const n = walkPrefix(tree, prefix, out);
  if (n && ownRules(n).length) out.add(n);
}

/**
 * Rule nodes a data ref with variables in its path may read: a variable matches any child, the
 * constant keys after it must match (as OPA's dependency lookup, which unifies the ref with rule paths:
 * `data[x].allow.see` does not read `data.test.p`).
 */
function nodesMatching(n: TreeNode, path: CTerm[], i: number, out: Set<TreeNode>): void {
  if (!n.hasRules) return;
  if (ownRules(n).length) out.add(n);
  if (i === path.length) {
    for (const c of n.children.values()) nodesMatching(c, path, i, out);
    return;
  }
  const p = path[i];
  if (p.t === 'val') {
    const c = typeof p.v === 'string' ? n.children.get(p.v) : undefined;
    if (c) nodesMatching(c, path, i + 1, out);
  } else if (p.t === 'var') for (const c of n.children.values()) nodesMatching(c, path, i + 1, out);
  else for (const c of n.children.values()) nodesMatching(c, path, path.length, out);
}

function staticPrefix(path: CTerm[]): string[] {
  const out: string[] = [];
  for (const p of path) {
    if (p.t === 'val' && typeof p.v === 'string') out.push(p.v);
    else break;
  }
  return out;
}

function termDeps(t: CTerm, tree: RuleTree, out: Set<TreeNode>): void {
  switch (t.t) {
    case 'ref':
      if (t.head.k === 'data') {
        const prefix = staticPrefix(t.path);
        const next = t.path[prefix.length];
        if (next && next.t === 'val') nodesAlong(tree, prefix, out);
        else if (next && next.t === 'var') nodesMatching(tree.root, t.path, 0, out);
        else nodesRead(tree, prefix, out);
      }
      break;
    case 'compr':
      termDeps(t.term, tree, out);
      if (t.key) termDeps(t.key, tree, out);
      t.body.forEach((e) => exprDeps(e, tree, out));
      return;
    case 'call':
      if (t.target.k === 'func') nodesRead(tree, t.target.path, out);
      break;
  }
  forEachChild(t, (x) => termDeps(x, tree, out));
}

function exprDeps(e: CExpr, tree: RuleTree, out: Set<TreeNode>): void {
  const b = e.e;
  if (b.k === 'term') termDeps(b.term, tree, out);
  else if (b.k === 'unify') {
    termDeps(b.left, tree, out);
    termDeps(b.right, tree, out);
  } else if (b.k === 'somein') {
    termDeps(b.coll, tree, out);
    if (b.key) termDeps(b.key, tree, out);
    termDeps(b.value, tree, out);
  } else if (b.k === 'every') {
    termDeps(b.coll, tree, out);
    b.body.forEach((x) => exprDeps(x, tree, out));
  }
  for (const w of e.withs) termDeps(w.value, tree, out);
}

function ruleDeps(r: CRule, tree: RuleTree, out: Set<TreeNode>): void {
  for (const c of r.clauses) {
    termDeps(c.value, tree, out);
    c.args?.forEach((a) => termDeps(a, tree, out));
    c.body.forEach((e) => exprDeps(e, tree, out));
  }
  r.keys.forEach((k) => termDeps(k, tree, out));
  if (r.elem) termDeps(r.elem, tree, out);
}

export function checkRecursion(tree: RuleTree, problems: RegoProblem[]): void {
  const edges = new Map<TreeNode, Set<TreeNode>>();
  for (const n of tree.nodes) {
    const rules = ownRules(n);
    if (!rules.length) continue;
    const deps = new Set<TreeNode>();
    for (const r of rules) ruleDeps(r, tree, deps);
    edges.set(n, deps);
  }
  const state = new Map<TreeNode, 1 | 2>();
  const stack: TreeNode[] = [];
  const reported = new Set<TreeNode>();
  const name = (n: TreeNode) => 'data.' + n.path.join('.');
  const visit = (n: TreeNode): void => {
    state.set(n, 1);
    stack.push(n);
    for (const d of edges.get(n) ?? []) {
      const s = state.get(d);
      if (s === 1) {
        const cycle = stack.slice(stack.indexOf(d));
        if (!reported.has(d)) {
          reported.add(d);
          const loc = ownRules(d)[0].loc;
          problems.push(problem(loc, 'rego_recursion_error', `rule ${name(d)} is recursive: ${[...cycle, d].map(name).join(' -> ')}`));
        }
      } else if (s === undefined) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of edges.keys()) if (!state.has(n)) visit(n);
}
