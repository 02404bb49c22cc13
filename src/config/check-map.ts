/** Semantic rules of the dependency map: references, repo ownership, groups and cycles. */
import { isMap, isScalar } from 'yaml';
import type { DependencyMap } from './map-schema.ts';
import type { ConfigProblem, PathSegment } from './problem.ts';
import { formatPath } from './problem.ts';
import type { YamlSource } from './parse-yaml.ts';
import { position } from './parse-yaml.ts';
import { locate } from './locate.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { quoteText } from './unsafe-text.ts';
import { findCycles, nameCycle } from '../planning/find-cycles.ts';
import { buildUnitGraph } from '../planning/unit-graph.ts';
import { indexGroups } from '../planning/group-index.ts';

export function checkMap(map: DependencyMap, source: YamlSource): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: PathSegment[], message: string, hint?: string, severity: 'error' | 'warning' = 'error', key = false) => {
    const { line, col } = locate(source, path, { key });
    problems.push({ file: source.file, line, col, severity, path: formatPath(path), message, ...(hint === undefined ? {} : { hint }) });
  };
  const names = Object.keys(map.services).sort();

  problems.push(...duplicateServices(source));

  for (const name of names) {
    const seen = new Set<string>();
    map.services[name].depends_on.forEach((dep, i) => {
      const path = ['services', name, 'depends_on', i];
      if (seen.has(dep)) add(path, `${quoteText(dep)} is listed twice in depends_on`, 'remove the repeated entry', 'warning');
      seen.add(dep);
      if (!Object.hasOwn(map.services, dep)) {
        const guess = didYouMean(dep, names);
        add(path, `service ${quoteText(name)} depends on unknown service ${quoteText(dep)}`, guess !== null ? `did you mean ${quoteText(guess)}?` : 'add it under `services:` or remove the dependency');
      }
    });
  }

  // A repo may hold several services only when their paths are distinct and do not nest.
  const byRepo = new Map<string, string[]>();
  for (const name of names) {
    const repo = map.services[name].repo.toLowerCase();
    if (repo === '') continue;
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), name]);
  }
  for (const [repo, services] of byRepo) {
    for (let i = 0; i < services.length; i++) {
      for (let j = i + 1; j < services.length; j++) {
        const [a, b] = [services[i], services[j]];
        const [pa, pb] = [normalisePath(map.services[a].path), normalisePath(map.services[b].path)];
        if (!pathsOverlap(pa, pb)) continue;
        const what = pa === pb ? (pa === '' ? 'neither sets a path' : `both use path "${pa}"`) : `paths "${pa || '(whole repo)'}" and "${pb || '(whole repo)'}" overlap`;
        add(['services', b, 'repo'], `repo ${repo} is in two services, ${quoteText(a)} and ${quoteText(b)}, and ${what}`,
          'give each service its own, non-overlapping `path`, or merge them into one service');
      }
    }
  }

  for (const group of Object.keys(map.groups).sort()) {
    const members = map.groups[group];
    if (members.length === 0) add(['groups', group], `group ${quoteText(group)} has no members`, 'list its services or remove it', 'warning');
    members.forEach((member, i) => {
      if (Object.hasOwn(map.services, member)) return;
      const guess = didYouMean(member, names);
      add(['groups', group, i], `group ${quoteText(group)} names unknown service ${quoteText(member)}`, guess !== null ? `did you mean ${quoteText(guess)}?` : 'add the service under `services:` or remove it from the group');
    });
  }

  const graph = new Map<string, string[]>();
  for (const name of names) graph.set(name, map.services[name].depends_on.filter((d) => Object.hasOwn(map.services, d)));
  const cycles = findCycles(graph);
  for (const cycle of cycles) {
    add(['services', cycle[0], 'depends_on', map.services[cycle[0]].depends_on.indexOf(cycle[1])],
      `dependency cycle: ${nameCycle(cycle)}`, 'remove one of these depends_on edges; a rollback order needs a graph without cycles');
  }
  if (cycles.length === 0) {
    // Groups roll back in one wave, so a path leaving a group and coming back into it is a cycle too.
    const known = { ...map, groups: Object.fromEntries(Object.entries(map.groups).map(([g, m]) => [g, m.filter((s) => Object.hasOwn(map.services, s))])) };
    for (const cycle of findCycles(buildUnitGraph(known, indexGroups(known)))) {
      const group = cycle.find((u) => u.startsWith('group:'))!.slice('group:'.length);
      add(['groups', group], `dependency cycle through a group: ${nameCycle(cycle)}`,
        'members of a group roll back together, so nothing outside the group may both depend on one member and be depended on by another');
    }
  }
  return problems;
}

export function normalisePath(p: string): string {
  return p.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

function pathsOverlap(a: string, b: string): boolean {
  return a === '' || b === '' || a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** A service name written twice under `services:`: YAML keeps the last, hiding the first mapping. */
function duplicateServices(source: YamlSource): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const root = source.doc?.contents;
  const services = isMap(root) ? root.get('services', true) : undefined;
  if (!isMap(services)) return out;
  const first = new Map<string, { repo: unknown; line: number }>();
  for (const pair of services.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const repo = isMap(pair.value) ? pair.value.get('repo') : undefined;
    const { line, col } = position(pair.key, source.lineCounter);
    const prev = first.get(name);
    if (prev === undefined) {
      first.set(name, { repo, line });
      continue;
    }
    const two = prev.repo !== repo;
    out.push({
      file: source.file, line, col, severity: 'error', path: formatPath(['services', name]),
      message: two
        ? `service ${quoteText(name)} is mapped to two repos: ${String(prev.repo)} (line ${prev.line}) and ${String(repo)}`
        : `service ${quoteText(name)} is defined twice (first on line ${prev.line})`,
      hint: 'a service lives in exactly one repo; keep one entry (use `path` for several services in one repo)',
    });
  }
  return out;
}
