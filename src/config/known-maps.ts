/**
 * The dependency map each org was last seen with, as this replica knows it: planning starts reading what that
 * map names (every repository's PR listing and contract) while it reads the map itself, and keeps that work only
 * if the map it reads names the same repositories. It is a guess, never a source of truth: a wrong or stale one
 * costs reads, never a different plan.
 */
import type { GitHubPort } from '../github/port.ts';
import { loadMap } from './load-map.ts';
import type { DependencyMap } from './map-schema.ts';

/** What planning's reads depend on in a map: its repositories, and those holding several services. */
export interface MapOutline {
  /** `owner/repo` of every service, sorted, without repeats. */
  readonly repos: readonly string[];
  /** Lower-case `owner/repo` of the repositories that hold several services, sorted. */
  readonly shared: readonly string[];
}

/** What the replica knows of an org's map: its outline, and the config repo's commit it was read at. */
export interface KnownMap extends MapOutline {
  /** Any commit of the config repo will do as the start of Unwind's registry branch (registry-store.ts). */
  readonly commitSha: string | null;
}

export function outlineOf(map: Pick<DependencyMap, 'services'>): MapOutline {
  const repos = new Set<string>();
  const count = new Map<string, number>();
  for (const s of Object.values(map.services)) {
    repos.add(s.repo);
    count.set(s.repo.toLowerCase(), (count.get(s.repo.toLowerCase()) ?? 0) + 1);
  }
  return { repos: [...repos].sort(), shared: [...count].filter(([, n]) => n > 1).map(([repo]) => repo).sort() };
}

export function sameOutline(a: MapOutline, b: MapOutline): boolean {
  return a.repos.length === b.repos.length && a.shared.length === b.shared.length && a.repos.every((r, i) => r === b.repos[i]) && a.shared.every((r, i) => r === b.shared[i]);
}

/** Orgs remembered at most (the least recently seen goes first). */
const MAX_ORGS = 1_000;

export class KnownMaps {
  private readonly byOrg = new Map<string, KnownMap>();

  /** The map `org` was last seen with, if any. */
  outline(org: string): KnownMap | undefined {
    return this.byOrg.get(org.toLowerCase());
  }

  remember(org: string, map: Pick<DependencyMap, 'services'>, commitSha: string | null = null): void {
    const key = org.toLowerCase();
    this.byOrg.delete(key);
    this.byOrg.set(key, { ...outlineOf(map), commitSha });
    if (this.byOrg.size > MAX_ORGS) this.byOrg.delete(this.byOrg.keys().next().value as string);
  }

  /** The org's map is gone or unreadable: nothing is guessed for it. */
  forget(org: string): void {
    this.byOrg.delete(org.toLowerCase());
  }
}

/**
 * Reads `org`'s map from its config repo's default branch and remembers it (forgets it when it cannot be read or
 * has errors). The replica calls it when it first meets an org and when a push may have changed the map.
 */
export async function learnMap(maps: KnownMaps, port: GitHubPort, org: string, configRepo: string): Promise<void> {
  try {
    const { loaded } = await loadMap(port, { org, configRepo });
    if (loaded.map) maps.remember(org, loaded.map, loaded.source?.commitSha ?? null);
    else maps.forget(org);
  } catch (err) {
    maps.forget(org);
    throw err;
  }
}
