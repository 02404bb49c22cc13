/**
 * The app's single entry to configuration: the org's dependency map plus the contract of every repo,
 * all from default branches through the GitHub port, with every problem (syntax, type, semantic and
 * cross-file) collected together.
 */
import type { GitHubPort } from '../github/port.ts';
import type { DependencyMap } from './map-schema.ts';
import type { ConfigProblem } from './problem.ts';
import { sortProblems } from './problem.ts';
import type { LoadedContract, LoadedMap } from './loaded.ts';
import { loadMap } from './load-map.ts';
import { loadContract } from './load-contract.ts';
import { checkContractsAgainstMap } from './check-contracts-against-map.ts';
import { mapBounded } from '../shared/map-bounded.ts';

export interface LoadConfigurationParams {
  readonly org: string;
  /** `owner/repo` names whose contracts to load. */
  readonly repos: readonly string[];
  /** Org config repo name; default `.github`. */
  readonly configRepo?: string;
  /** Contracts loaded at once (default 8). */
  readonly concurrency?: number;
  /** The map as the caller loads it already (loadMap of the same org and config repo); else it is loaded here. */
  readonly map?: Promise<Awaited<ReturnType<typeof loadMap>>>;
}

export interface LoadedConfiguration {
  readonly map: LoadedMap;
  /** By `owner/repo` as given in `repos`. */
  readonly contracts: Map<string, LoadedContract>;
  readonly problems: ConfigProblem[];
}

export async function loadConfiguration(port: GitHubPort, params: LoadConfigurationParams): Promise<LoadedConfiguration> {
  // 1. The map, and 2. every contract (a bounded number at a time, results kept in input order), read together.
  const repos = [...new Set(params.repos)];
  const [mapResult, results] = await Promise.all([
    params.map ?? loadMap(port, { org: params.org, configRepo: params.configRepo }),
    mapBounded(repos, params.concurrency ?? 8, (name) => {
      const [owner, repo] = splitRepo(name);
      return loadContract(port, { owner, repo, configRepo: params.configRepo });
    }),
  ]);
  const problems = [...mapResult.problems];
  const contracts = new Map<string, LoadedContract>();
  repos.forEach((name, i) => {
    contracts.set(name, results[i].loaded);
    problems.push(...results[i].problems);
  });

  // 3. Cross-file rules.
  const map: DependencyMap | null = mapResult.loaded.map;
  if (map !== null) problems.push(...checkContractsAgainstMap(map, contracts.values()));
  return { map: mapResult.loaded, contracts, problems: dedupe(sortProblems(problems)) };
}

function splitRepo(name: string): [string, string] {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(name);
  if (m === null) throw new TypeError(`repos: "${name}" is not "owner/repo"`);
  return [m[1], m[2]];
}

/** The org default contract is read once per repo that uses it; report each of its problems once. */
function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = JSON.stringify([p.file, p.line, p.col, p.severity, p.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
