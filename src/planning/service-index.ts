/** Which service a repo's change belongs to, from the dependency map (case-insensitive repo names). */
import type { DependencyMap } from '../config/map-schema.ts';
import { normalisePath } from '../config/check-map.ts';

export interface ServiceIndex {
  /** Services of a repo, sorted by name. */
  servicesOf(repo: string): readonly string[];
  /** The service a change with these files belongs to, or null when the repo is not in the map. */
  assign(repo: string, files: readonly string[]): { service: string; ambiguous: boolean } | null;
}

export function indexServices(map: DependencyMap): ServiceIndex {
  const byRepo = new Map<string, string[]>();
  for (const name of Object.keys(map.services).sort()) {
    const repo = map.services[name].repo.toLowerCase();
    const list = byRepo.get(repo);
    if (list) list.push(name);
    else byRepo.set(repo, [name]);
  }
  return {
    servicesOf: (repo) => byRepo.get(repo.toLowerCase()) ?? [],
    assign(repo, files) {
      const services = byRepo.get(repo.toLowerCase());
      if (!services) return null;
      if (services.length === 1) return { service: services[0], ambiguous: false };
      // Several services in one repo: the one whose path holds most of the files (longest path on ties).
      let best: string | null = null;
      let bestCount = -1;
      let bestLen = -1;
      let matched = 0;
      for (const name of services) {
        const p = normalisePath(map.services[name].path);
        const count = p === '' ? 0 : files.filter((f) => f === p || f.startsWith(`${p}/`)).length;
        if (count > 0) matched++;
        if (count > bestCount || (count === bestCount && p.length > bestLen)) {
          best = name;
          bestCount = count;
          bestLen = p.length;
        }
      }
      if (bestCount === 0) {
        const whole = services.find((s) => normalisePath(map.services[s].path) === '');
        return { service: whole ?? services[0], ambiguous: whole === undefined };
      }
      return { service: best!, ambiguous: matched > 1 };
    },
  };
}
