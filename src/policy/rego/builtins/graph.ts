/** graph.reachable and graph.reachable_paths (OPA topdown/reachable.go). */
import type { BuiltinDef } from '../builtin-types.ts';
import { RSet } from '../value.ts';
import type { Value } from '../value.ts';
import { obj, typeErr } from './operands.ts';

function vertices(v: Value | undefined): Value[] {
  if (Array.isArray(v)) return v as Value[];
  if (v instanceof RSet) return v.sortedValues();
  return [];
}

function initial(name: string, v: Value): Value[] {
  if (!Array.isArray(v) && !(v instanceof RSet)) throw typeErr(name, 2, v, '{array, set}');
  return vertices(v);
}

function reachable(args: Value[]): Value {
  const graph = obj('graph.reachable', args, 0);
  const queue = initial('graph.reachable', args[1]);
  const reached = new RSet();
  // Breadth-first; a node counts as reached only when it is a key of the graph.
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i];
    const edges = graph.get(node);
    if (edges === undefined || reached.has(node)) continue;
    reached.add(node);
    for (const n of vertices(edges)) if (!reached.has(n)) queue.push(n);
  }
  return reached;
}

function reachablePaths(args: Value[]): Value {
  const graph = obj('graph.reachable_paths', args, 0);
  const out = new RSet();
  const build = (root: Value, path: Value[], seen: RSet): void => {
    const edges = graph.get(root);
    if (edges === undefined) {
      out.add(path);
      return;
    }
    const here = [...path, root];
    const next = vertices(edges);
    if (next.length === 0) {
      out.add(here);
      return;
    }
    const seenHere = new RSet([...seen.values(), root]);
    for (const n of next) {
      if (seenHere.has(n)) out.add(here);
      else build(n, here, seenHere);
    }
  };
  for (const node of initial('graph.reachable_paths', args[1])) {
    const edges = graph.get(node);
    if (edges === undefined) continue;
    const next = vertices(edges);
    if (next.length === 0) out.add([node]);
    for (const n of next) build(n, [node], new RSet([node]));
  }
  return out;
}

export const graphBuiltins: BuiltinDef[] = [
  { name: 'graph.reachable', arity: 2, fn: reachable },
  { name: 'graph.reachable_paths', arity: 2, fn: reachablePaths },
];
