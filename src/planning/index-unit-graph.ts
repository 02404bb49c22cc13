/**
 * The ordering graph in the compact form the planner orders with: units numbered 0..n-1 and the edges in
 * two typed arrays (compressed sparse rows), so ordering 10,000s of units touches no string-keyed map.
 * Same nodes and edges as `buildUnitGraph` (unit-graph.ts), the readable form used by check-map and tests:
 * one node per unit (a group, or a lone service), an edge from each dependent unit to the unit it depends
 * on, edges inside a unit dropped.
 */
import type { DependencyMap } from '../config/map-schema.ts';
import type { GroupIndex } from './group-index.ts';

export interface IndexedUnitGraph {
  /** Unit names by number. */
  readonly names: readonly string[];
  /** Number of a unit, or undefined when the graph does not hold it. */
  idOf(unit: string): number | undefined;
  /** The units unit `u` depends on are `edgeTo[edgeStart[u]]` … `edgeTo[edgeStart[u + 1] - 1]`. */
  readonly edgeStart: Int32Array;
  readonly edgeTo: Int32Array;
}

/**
 * @param extraEdges service → service edges beyond the map's (e.g. from Depends-On links between PRs).
 * @param extraUnits units that must be nodes even when the map does not name them (e.g. unmapped repos).
 */
export function indexUnitGraph(
  map: DependencyMap,
  groups: GroupIndex,
  extraEdges: ReadonlyArray<readonly [string, string]>,
  extraUnits: Iterable<string>,
): IndexedUnitGraph {
  const services = map.services;
  const serviceNames = Object.keys(services);
  const ids = new Map<string, number>();
  const names: string[] = [];
  const id = (unit: string): number => {
    let i = ids.get(unit);
    if (i === undefined) {
      i = names.length;
      ids.set(unit, i);
      names.push(unit);
    }
    return i;
  };
  // Number every service's unit first, so an edge costs one lookup. Without groups a service is its own
  // unit, numbered by its position, and one map serves both.
  const unitIdOf = groups.any ? new Map<string, number>() : ids;
  let edgeCount = extraEdges.length;
  for (const name of serviceNames) {
    if (unitIdOf === ids) {
      ids.set(name, names.length); // names are unique keys: no lookup needed
      names.push(name);
    } else unitIdOf.set(name, id(groups.unitOf(name)));
    edgeCount += services[name].depends_on.length;
  }
  const from = new Int32Array(edgeCount);
  const to = new Int32Array(edgeCount);
  let m = 0;
  for (let s = 0; s < serviceNames.length; s++) {
    const name = serviceNames[s];
    const u = unitIdOf.get(name)!;
    const deps = services[name].depends_on;
    for (let k = 0; k < deps.length; k++) {
      let v = unitIdOf.get(deps[k]);
      if (v === undefined && Object.hasOwn(services, deps[k])) v = id(groups.unitOf(deps[k]));
      if (v === undefined || v === u) continue;
      from[m] = u;
      to[m++] = v;
    }
  }
  for (const [a, b] of extraEdges) {
    const u = id(groups.unitOf(a));
    const v = id(groups.unitOf(b));
    if (u === v) continue;
    from[m] = u;
    to[m++] = v;
  }
  for (const unit of extraUnits) id(unit);

  // Compressed sparse rows: count the edges of each unit, then place them.
  const n = names.length;
  const edgeStart = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) edgeStart[from[k] + 1]++;
  for (let i = 0; i < n; i++) edgeStart[i + 1] += edgeStart[i];
  const fill = edgeStart.slice(0, n);
  const edgeTo = new Int32Array(m);
  for (let k = 0; k < m; k++) edgeTo[fill[from[k]]++] = to[k];
  return { names, idOf: (unit) => ids.get(unit), edgeStart, edgeTo };
}
