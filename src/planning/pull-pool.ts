/** The PR facts available to the planner, indexed by PR and by the PRs each one depends on. */
import type { PullFacts } from './types.ts';
import { pullKey } from './parse-target.ts';
import { parseDependsOn } from './parse-depends-on.ts';

export interface PullPool {
  get(repo: string, number: number): PullFacts | undefined;
  /** Merged PRs whose body says `Depends-On:` this PR, sorted by key. */
  dependentsOf(repo: string, number: number): readonly PullFacts[];
  /** Unmerged PRs whose body says `Depends-On:` this PR. */
  openDependentsOf(repo: string, number: number): readonly PullFacts[];
  linksOf(pull: PullFacts): ReadonlyArray<{ repo: string; number: number }>;
  /** The merged PR whose merge commit starts with `sha` in `repo`. */
  byMergeCommit(repo: string, sha: string): PullFacts | undefined;
  /** Every merged PR, sorted by key. */
  merged(): readonly PullFacts[];
}

export function indexPulls(pulls: readonly PullFacts[]): PullPool {
  const byKey = new Map<string, PullFacts>();
  for (const p of pulls) if (!byKey.has(pullKey(p.repo, p.number))) byKey.set(pullKey(p.repo, p.number), p);
  const keys = [...byKey.keys()].sort();
  const links = new Map<string, Array<{ repo: string; number: number }>>();
  const dependents = new Map<string, PullFacts[]>();
  const openDependents = new Map<string, PullFacts[]>();
  for (const key of keys) {
    const p = byKey.get(key)!;
    const refs = parseDependsOn(p.body);
    links.set(key, refs);
    const into = p.merged ? dependents : openDependents;
    for (const ref of refs) {
      const k = pullKey(ref.repo, ref.number);
      if (k === key) continue;
      const list = into.get(k);
      if (list) list.push(p);
      else into.set(k, [p]);
    }
  }
  const merged = keys.map((k) => byKey.get(k)!).filter((p) => p.merged);
  return {
    get: (repo, number) => byKey.get(pullKey(repo, number)),
    dependentsOf: (repo, number) => dependents.get(pullKey(repo, number)) ?? [],
    openDependentsOf: (repo, number) => openDependents.get(pullKey(repo, number)) ?? [],
    linksOf: (pull) => links.get(pullKey(pull.repo, pull.number)) ?? [],
    byMergeCommit: (repo, sha) =>
      merged.find((p) => p.repo.toLowerCase() === repo.toLowerCase() && p.mergeCommitSha !== null && p.mergeCommitSha.toLowerCase().startsWith(sha.toLowerCase())),
    merged: () => merged,
  };
}
