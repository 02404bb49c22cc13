/** The tree of virtual documents: one node per data path prefix, holding the rules defined there. */
import { problem } from '../errors.ts';
import type { RegoProblem } from '../errors.ts';
import type { CRule } from './ir.ts';
import { keyOf } from '../value.ts';

export interface TreeNode {
  id: number;
  path: string[];
  children: Map<string, TreeNode>;
  complete: CRule[];
  defaults: CRule[];
  sets: CRule[];
  objects: CRule[];
  funcs: CRule[];
  /** Some rule is defined at or below this node. */
  hasRules: boolean;
}

export function newNode(path: string[], id: number): TreeNode {
  return { id, path, children: new Map(), complete: [], defaults: [], sets: [], objects: [], funcs: [], hasRules: false };
}

export class RuleTree {
  readonly root: TreeNode = newNode([], 0);
  private nextId = 1;
  readonly nodes: TreeNode[] = [this.root];

  ensure(path: string[]): TreeNode {
    let n = this.root;
    for (let i = 0; i < path.length; i++) {
      let c = n.children.get(path[i]);
      if (!c) {
        c = newNode(path.slice(0, i + 1), this.nextId++);
        this.nodes.push(c);
        n.children.set(path[i], c);
      }
      n = c;
    }
    return n;
  }

  /** Packages exist (as empty objects) even without rules. */
  markPackage(path: string[]): void {
    this.ensure(path);
    let n: TreeNode | undefined = this.root;
    n.hasRules = true;
    for (const p of path) {
      n = n.children.get(p)!;
      n.hasRules = true;
    }
  }

  find(path: string[]): TreeNode | undefined {
    let n: TreeNode | undefined = this.root;
    for (const p of path) {
      n = n.children.get(p);
      if (!n) return undefined;
    }
    return n;
  }

  add(rule: CRule): void {
    const node = this.ensure(rule.path);
    if (rule.isDefault) node.defaults.push(rule);
    else if (rule.kind === 'complete') node.complete.push(rule);
    else if (rule.kind === 'set') node.sets.push(rule);
    else if (rule.kind === 'object') node.objects.push(rule);
    else node.funcs.push(rule);
    let n: TreeNode | undefined = this.root;
    n.hasRules = true;
    for (const p of rule.path) {
      n = n.children.get(p)!;
      n.hasRules = true;
    }
  }
}

function hasRulesBelow(n: TreeNode): boolean {
  for (const c of n.children.values()) if (ownRules(c).length > 0 || hasRulesBelow(c)) return true;
  return false;
}

export function ownRules(n: TreeNode): CRule[] {
  return [...n.complete, ...n.defaults, ...n.sets, ...n.objects, ...n.funcs];
}

/** Reports rules of different kinds at one path, and complete rules with rules below them. */
export function checkConflicts(tree: RuleTree, problems: RegoProblem[]): void {
  for (const n of tree.nodes) {
    const kinds = new Set<string>();
    if (n.complete.length) kinds.add('complete');
    for (const d of n.defaults) kinds.add(d.kind);
    for (const r of n.sets) kinds.add(r.keys.length ? 'object' : 'set');
    if (n.objects.length) kinds.add('object');
    if (n.funcs.length) kinds.add('func');
    const all = ownRules(n);
    if (all.length === 0) continue;
    const ref = 'data.' + n.path.join('.');
    if (kinds.size > 1) {
      problems.push(problem(all[0].loc, 'rego_type_error', `conflicting rules ${ref} found (rule conflicts with the following rule of another kind)`));
      continue;
    }
    // Defaults with constant keys (`default p[true] := 1`) are at different refs, as in OPA's rule tree.
    const defaultRefs = new Set<string>();
    for (const d of n.defaults) {
      const at = d.keys.map((t) => (t.t === 'val' ? keyOf(t.v) : '?')).join(',');
      if (defaultRefs.has(at)) problems.push(problem(d.loc, 'rego_type_error', `multiple default rules ${d.ref} found`));
      defaultRefs.add(at);
    }
    if ((kinds.has('complete') || kinds.has('func') || kinds.has('set')) && [...n.children.values()].some((c) => ownRules(c).length > 0 || hasRulesBelow(c)))
      problems.push(problem(all[0].loc, 'rego_type_error', `rule ${ref} conflicts with rules defined below it`));
    if (n.funcs.length > 1) {
      const ar = new Set(n.funcs.map((f) => f.clauses[0].args?.length ?? 0));
      if (ar.size > 1) problems.push(problem(n.funcs[1].loc, 'rego_type_error', `conflicting rules ${ref} found (functions with different arity)`));
    }
  }
}
