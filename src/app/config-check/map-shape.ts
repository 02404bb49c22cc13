/**
 * The shape of a dependency map as a rollback would see it (pure): the waves of a sample rollback that
 * touches every service, dependents first. Comparing the default branch's with a change's shows
 * reviewers how a map edit reorders rollbacks before it is merged.
 */
import type { DependencyMap } from '../../config/map-schema.ts';
import { indexGroups } from '../../planning/group-index.ts';
import { indexUnitGraph } from '../../planning/index-unit-graph.ts';
import { orderWaves } from '../../planning/order-waves.ts';
import { mdText } from '../../shared/markdown.ts';

export type MapShape = { readonly ok: true; readonly waves: string[][] } | { readonly ok: false; readonly cycle: string[] };

export function mapShape(map: DependencyMap): MapShape {
  const groups = indexGroups(map);
  const graph = indexUnitGraph(map, groups, [], []);
  const order = orderWaves(graph, new Uint8Array(graph.names.length).fill(1));
  if (!order.ok) return { ok: false, cycle: order.cycle };
  const waves: string[][] = [];
  for (let u = 0; u < graph.names.length; u++) {
    const level = order.level[u];
    (waves[level] ??= []).push(...groups.membersOf(firstMember(graph.names[u], map)));
  }
  return { ok: true, waves: waves.filter(Boolean).map((w) => [...new Set(w)].sort()) };
}

/** A unit is a service, or `group:<name>`: any member stands for the group. */
function firstMember(unit: string, map: DependencyMap): string {
  if (!unit.startsWith('group:')) return unit;
  const members = (map.groups ?? {})[unit.slice('group:'.length)] ?? [];
  return members.find((m) => Object.hasOwn(map.services, m)) ?? unit;
}

export function sameShape(a: MapShape, b: MapShape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function renderShapes(before: MapShape | null, after: MapShape): string {
  const show = (s: MapShape | null): string[] =>
    s === null ? ['(no map on the default branch)'] : s.ok ? s.waves.map((w, i) => `${i + 1}. ${w.map((x) => mdText(x)).join(', ')}`) : [`a cycle: ${s.cycle.map((x) => mdText(x)).join(' → ')}`];
  return [
    '### How a rollback of every service would run',
    '',
    'Waves run in order, dependents first.',
    '',
    '**Before (default branch)**',
    '',
    ...show(before),
    '',
    '**After (this change)**',
    '',
    ...show(after),
  ].join('\n');
}
