/**
 * Groups as units: services in a group (or in groups that share a member) roll back in one wave.
 * Union-find over the map's groups; every other service is its own unit.
 */
import type { DependencyMap } from '../config/map-schema.ts';

export interface GroupIndex {
  /** Whether any service is in a group. */
  readonly any: boolean;
  /** Unit id of a service: `group:<smallest group name>` for grouped services, the service name otherwise. */
  unitOf(service: string): string;
  /** Sorted group names a service belongs to. */
  groupsOf(service: string): readonly string[];
  /** Sorted members of the unit a service is in (just the service when ungrouped). */
  membersOf(service: string): readonly string[];
}

const NONE: readonly string[] = [];

export function indexGroups(map: DependencyMap): GroupIndex {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    let cur = x;
    while (cur !== root) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    // The root is always a group node (the smallest name), so unit ids read `group:<name>`.
    const aFirst = ra.startsWith('group:') !== rb.startsWith('group:') ? ra.startsWith('group:') : ra < rb;
    parent.set(aFirst ? rb : ra, aFirst ? ra : rb);
  };
  const groupsOf = new Map<string, string[]>();
  for (const group of Object.keys(map.groups).sort()) {
    const node = `group:${group}`;
    parent.set(node, parent.get(node) ?? node);
    for (const member of map.groups[group]) {
      if (!parent.has(member)) parent.set(member, member);
      union(node, member);
      const list = groupsOf.get(member) ?? [];
      if (!list.includes(group)) list.push(group);
      groupsOf.set(member, list);
    }
  }
  const members = new Map<string, string[]>();
  for (const service of groupsOf.keys()) {
    const root = find(service);
    const list = members.get(root);
    if (list) list.push(service);
    else members.set(root, [service]);
  }
  for (const list of members.values()) list.sort();
  return {
    any: groupsOf.size > 0,
    unitOf: (s) => (groupsOf.has(s) ? find(s) : s),
    groupsOf: (s) => groupsOf.get(s) ?? NONE,
    membersOf: (s) => (groupsOf.has(s) ? members.get(find(s))! : [s]),
  };
}
