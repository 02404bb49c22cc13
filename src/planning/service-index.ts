/** Which service a repo's change belongs to, from the dependency map (case-insensitive repo names). */
import type { DependencyMap } from '../config/map-schema.ts';
import { normalisePath } from '../config/check-map.ts';

export interface ServiceIndex {
  /** Whether the map puts several services in this repo. */
  holdsSeveral(repo: string): boolean;
  /** The service a change with these files belongs to, or null when the repo is not in the map. */
  assign(repo: string, files: readonly string[]): { service: string; ambiguous: boolean } | null;
  /** `assign(…)?.service ?? null`, without the object. */
  serviceOf(repo: string, files: readonly string[]): string | null;
}

export function indexServices(map: DependencyMap): ServiceIndex {
  // A repo's entry is its service's name when it holds one (the usual case: no object per repo), else the
  // names, sorted, with their normalised paths.
  interface Shared {
    readonly names: string[];
    paths: string[];
  }
  const byRepo = new Map<string, string | Shared>();
  const services = map.services;
  const several: Shared[] = [];
  for (const name of Object.keys(services)) {
    const repo = services[name].repo.toLowerCase();
    const entry = byRepo.get(repo);
    if (entry === undefined) byRepo.set(repo, name);
    else if (typeof entry !== 'string') entry.names.push(name);
    else {
      const shared: Shared = { names: [entry, name], paths: [] };
      byRepo.set(repo, shared);
      several.push(shared);
    }
  }
  for (const shared of several) {
    shared.names.sort();
    shared.paths = shared.names.map((name) => normalisePath(services[name].path));
  }
  return {
    holdsSeveral: (repo) => typeof (byRepo.get(repo.toLowerCase()) ?? '') !== 'string',
    assign(repo, files) {
      const entry = byRepo.get(repo.toLowerCase());
      if (entry === undefined) return null;
      if (typeof entry === 'string') return { service: entry, ambiguous: false };
      return pick(entry, files);
    },
    serviceOf(repo, files) {
      const entry = byRepo.get(repo.toLowerCase());
      return entry === undefined ? null : typeof entry === 'string' ? entry : pick(entry, files).service;
    },
  };

  function pick({ names, paths }: Shared, files: readonly string[]): { service: string; ambiguous: boolean } {
    // Several services in one repo: the one whose path holds most of the files (longest path on ties).
    let best: string | null = null;
    let bestCount = -1;
    let bestLen = -1;
    let matched = 0;
    for (let i = 0; i < names.length; i++) {
      const p = paths[i];
      const count = p === '' ? 0 : files.filter((f) => f === p || f.startsWith(`${p}/`)).length;
      if (count > 0) matched++;
      if (count > bestCount || (count === bestCount && p.length > bestLen)) {
        best = names[i];
        bestCount = count;
        bestLen = p.length;
      }
    }
    if (bestCount === 0) {
      const whole = paths.indexOf('');
      return { service: whole >= 0 ? names[whole] : names[0], ambiguous: whole < 0 };
    }
    return { service: best!, ambiguous: matched > 1 };
  }
}
