/**
 * Waves: the layers of the dependency order restricted to the units a rollback touches. A unit's wave is
 * the number of touched units on the longest chain of dependents above it, so dependents always come
 * first, and dependencies through untouched services still count. Linear in the size of the map (Kahn,
 * over typed arrays).
 */
import type { IndexedUnitGraph } from './index-unit-graph.ts';
import { findCycles } from './find-cycles.ts';

/** `level[u]`: the wave of unit `u` (meaningful for touched units; later waves have larger numbers). */
export type WaveOrder = { readonly ok: true; readonly level: Int32Array } | { readonly ok: false; readonly cycle: string[] };

/** @param touched 1 for the units the rollback touches, 0 for the others (indexed like the graph). */
export function orderWaves(graph: IndexedUnitGraph, touched: Uint8Array): WaveOrder {
  const { edgeStart, edgeTo } = graph;
  const n = graph.names.length;
  const indegree = new Int32Array(n);
  for (let e = 0; e < edgeTo.length; e++) indegree[edgeTo[e]]++;

  const level = new Int32Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let u = 0; u < n; u++) if (indegree[u] === 0) queue[tail++] = u;
  for (let head = 0; head < tail; head++) {
    const u = queue[head];
    const next = level[u] + touched[u];
    for (let e = edgeStart[u], end = edgeStart[u + 1]; e < end; e++) {
      const v = edgeTo[e];
      if (level[v] < next) level[v] = next;
      if (--indegree[v] === 0) queue[tail++] = v;
    }
  }
  if (tail < n) {
    // What is left holds every cycle; name one (findCycles is deterministic for a given set of edges).
    const rest = new Map<string, string[]>();
    for (let u = 0; u < n; u++) {
      if (indegree[u] === 0) continue;
      const succ: string[] = [];
      for (let e = edgeStart[u]; e < edgeStart[u + 1]; e++) if (indegree[edgeTo[e]] > 0) succ.push(graph.names[edgeTo[e]]);
      rest.set(graph.names[u], succ);
    }
    return { ok: false, cycle: findCycles(rest)[0] ?? [] };
  }
  return { ok: true, level };
}
