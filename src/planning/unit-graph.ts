/**
 * The ordering graph: one node per unit (a group, or a lone service), an edge from each dependent unit to
 * the unit it depends on. Edges inside a unit vanish: a group rolls back together.
 */
import type { DependencyMap } from '../config/map-schema.ts';
import type { GroupIndex } from './group-index.ts';

export type UnitGraph = Map<string, string[]>;

export function buildUnitGraph(map: DependencyMap, groups: GroupIndex, extraEdges: ReadonlyArray<readonly [string, string]> = []): UnitGraph {
  const graph: UnitGraph = new Map();
  const node = (unit: string) => {
    let list = graph.get(unit);
    if (!list) graph.set(unit, (list = []));
    return list;
  };
  const edge = (from: string, to: string) => {
    const [u, v] = [groups.unitOf(from), groups.unitOf(to)];
    node(v);
    if (u !== v) node(u).push(v);
    else node(u);
  };
  for (const [name, service] of Object.entries(map.services)) {
    node(groups.unitOf(name));
    for (const dep of service.depends_on) if (Object.hasOwn(map.services, dep)) edge(name, dep);
  }
  for (const [from, to] of extraEdges) edge(from, to);
  return graph;
}
