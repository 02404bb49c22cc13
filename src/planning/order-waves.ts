/**
 * Waves: the layers of the dependency order restricted to the units a rollback touches. A unit's wave is
 * the number of touched units on the longest chain of dependents above it, so dependents always come
 * first, and dependencies through untouched services still count. Linear in the size of the map (Kahn).
 */
import type { UnitGraph } from './unit-graph.ts';
import { findCycles } from './find-cycles.ts';

export type WaveOrder = { readonly ok: true; readonly waveOf: ReadonlyMap<string, number> } | { readonly ok: false; readonly cycle: string[] };

export function orderWaves(graph: UnitGraph, touched: ReadonlySet<string>): WaveOrder {
  const indegree = new Map<string, number>();
  for (const unit of graph.keys()) indegree.set(unit, indegree.get(unit) ?? 0);
  for (const succ of graph.values()) for (const v of succ) indegree.set(v, (indegree.get(v) ?? 0) + 1);

  const level = new Map<string, number>();
  const queue: string[] = [];
  for (const [unit, d] of indegree) if (d === 0) queue.push(unit);
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head];
    const h = level.get(u) ?? 0;
    const next = h + (touched.has(u) ? 1 : 0);
    for (const v of graph.get(u) ?? []) {
      if ((level.get(v) ?? 0) < next) level.set(v, next);
      const d = indegree.get(v)! - 1;
      indegree.set(v, d);
      if (d === 0) queue.push(v);
    }
  }
  if (queue.length < indegree.size) {
    const rest = new Map<string, string[]>();
    for (const [unit, d] of indegree) if (d > 0) rest.set(unit, (graph.get(unit) ?? []).filter((v) => (indegree.get(v) ?? 0) > 0));
    return { ok: false, cycle: findCycles(rest)[0] ?? [] };
  }
  const waveOf = new Map<string, number>();
  for (const unit of touched) waveOf.set(unit, level.get(unit) ?? 0);
  return { ok: true, waveOf };
}
