/** Which changed paths the config check is about: contracts anywhere; the map and policies in the org config repo. */
import { CONFIG_REPO } from '../plan-request.ts';

export const CHECK_NAME = 'Unwind config';

const CONTRACT = /^\.github\/unwind\.ya?ml$/;
const MAP = /^unwind\/map\.ya?ml$/;
const POLICY = /^unwind\/policies\//;

export interface ConfigChanges {
  readonly contracts: string[];
  readonly map: boolean;
  readonly policies: boolean;
}

export function configChanges(repo: string, paths: readonly string[]): ConfigChanges | null {
  const isConfigRepo = repo === CONFIG_REPO;
  const contracts = [...new Set(paths.filter((p) => CONTRACT.test(p)))].sort();
  const map = isConfigRepo && paths.some((p) => MAP.test(p));
  const policies = isConfigRepo && paths.some((p) => POLICY.test(p));
  return contracts.length || map || policies ? { contracts, map, policies } : null;
}
