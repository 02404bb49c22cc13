/** Shared planner inputs: the acme fixture (map, contracts, PR facts) used by several planning tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMap } from '../../src/config/parse-map.ts';
import { parseContract } from '../../src/config/parse-contract.ts';
import type { Contract } from '../../src/config/contract-schema.ts';
import type { DependencyMap } from '../../src/config/map-schema.ts';
import type { PullFacts } from '../../src/planning/types.ts';

const dir = join(import.meta.dirname, '..', 'fixtures', 'config');

export function acme(): { map: DependencyMap; contracts: Map<string, Contract>; pulls: PullFacts[] } {
  const map = parseMap({ file: 'map.yml', text: readFileSync(join(dir, 'org/unwind/map.yml'), 'utf8') }).map!;
  const contracts = new Map<string, Contract>();
  for (const repo of ['api', 'schema', 'web']) {
    contracts.set(`acme/${repo}`, parseContract({ file: repo, text: readFileSync(join(dir, `contracts/acme/${repo}.yml`), 'utf8') }).contract!);
  }
  const pulls = (JSON.parse(readFileSync(join(dir, 'links.json'), 'utf8')) as { pulls: PullFacts[] }).pulls;
  return { map, contracts, pulls };
}

export function pull(repo: string, number: number, extra: Partial<PullFacts> = {}): PullFacts {
  return {
    repo, number, title: `${repo}#${number}`, body: '', merged: true,
    mergedAt: new Date(Date.UTC(2025, 0, 1) + number * 60_000).toISOString(),
    mergeCommitSha: `${number.toString(16).padStart(8, '0')}${'0'.repeat(32)}`, mergeCommitParents: 1,
    files: ['a.txt'], author: 'dev', ...extra,
  };
}

export const NOW = new Date('2025-03-02T00:00:00Z');
