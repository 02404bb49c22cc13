/**
 * Every dependency cycle, found as the strongly connected components of a graph (iterative Tarjan, linear),
 * each named by one concrete path: the shortest cycle through the smallest node of the component,
 * e.g. `['a', 'b', 'c', 'a']`. Deterministic for a given graph.
 */
export type Adjacency = ReadonlyMap<string, readonly string[]>;

export function findCycles(graph: Adjacency): string[][] {
  const cycles: string[][] = [];
  for (const component of stronglyConnected(graph)) {
    const start = component.reduce((a, b) => (b < a ? b : a));
    if (component.length === 1 && !(graph.get(start) ?? []).includes(start)) continue;
    cycles.push(shortestCycle(graph, start, new Set(component)));
  }
  return cycles.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function nameCycle(cycle: readonly string[]): string {
  return cycle.join(' → ');
}

function stronglyConnected(graph: Adjacency): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: string[][] = [];
  let counter = 0;
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const succ = graph.get(frame.node) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        out.push(component);
      }
    }
  }
  return out;
}

/** Breadth-first from `start` inside its component, back to `start`; neighbours visited in sorted order. */
function shortestCycle(graph: Adjacency, start: string, within: ReadonlySet<string>): string[] {
  const parent = new Map<string, string>();
  const queue: string[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of [...(graph.get(node) ?? [])].sort()) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let n = node; n !== start; n = parent.get(n)!) path.push(n);
        path.push(start);
        // path is start, node, …, back-walk; reverse the middle to read forwards.
        return [start, ...path.slice(1, -1).reverse(), start];
      }
      if (!parent.has(next) && next !== start) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
