/**
 * The PR facts available to the planner, indexed by PR and by the PRs each one depends on.
 * Built once per plan in one pass (no global sort). Lookups answer with the pool's own record of a PR
 * (`PoolPull`), which carries what the planner asks about it, so hot loops rebuild no string keys.
 * Sorted views are built on first use.
 */
import type { PullFacts } from './types.ts';
import { pullKey } from './parse-target.ts';
import { parseDependsOn } from './parse-depends-on.ts';

/** A `Depends-On:` reference, with the key (`pullKey`) of the PR it names. */
export interface PullLink {
  readonly repo: string;
  readonly number: number;
  readonly key: string;
}

/** One PR of the pool (the first fact given about it). */
export interface PoolPull {
  readonly pull: PullFacts;
  /** `pullKey` of the PR. */
  readonly key: string;
  /** What its body says it depends on, in order, without repeats. */
  readonly links: readonly PullLink[];
  /** Merged PRs whose body says `Depends-On:` this PR, sorted by key. */
  readonly dependents: readonly PoolPull[];
  /** Unmerged PRs whose body says `Depends-On:` this PR, sorted by key. */
  readonly openDependents: readonly PoolPull[];
}

export interface PullPool {
  get(repo: string, number: number): PoolPull | undefined;
  byKey(key: string): PoolPull | undefined;
  /** The merged PR whose merge commit starts with `sha` in `repo` (the first by key). */
  byMergeCommit(repo: string, sha: string): PoolPull | undefined;
  /** The merged PRs of one repo (case-insensitive), sorted by key. */
  mergedIn(repo: string): readonly PoolPull[];
}

interface Entry extends PoolPull {
  dependents: PoolPull[];
  openDependents: PoolPull[];
}

/** Shared empty list: an entry's list is replaced by its own array on its first dependent, never pushed to. */
const NONE: PoolPull[] = [];
const NO_LINKS: readonly PullLink[] = [];
const byKeyOrder = (a: PoolPull, b: PoolPull): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function indexPulls(pulls: readonly PullFacts[]): PullPool {
  const entries = new Map<string, Entry>();
  for (const pull of pulls) {
    const key = pullKey(pull.repo, pull.number);
    if (entries.has(key)) continue; // the first fact about a PR wins
    const refs = parseDependsOn(pull.body);
    const links: readonly PullLink[] = refs.length === 0 ? NO_LINKS : refs.map((r) => ({ repo: r.repo, number: r.number, key: pullKey(r.repo, r.number) }));
    entries.set(key, { pull, key, links, dependents: NONE, openDependents: NONE });
  }
  // Reverse links: which PRs name each PR (usually none or one; sorted by key below).
  const named: Entry[] = [];
  for (const entry of entries.values()) {
    for (const link of entry.links) {
      const target = link.key === entry.key ? undefined : entries.get(link.key);
      if (target === undefined) continue; // unknown PR (or itself): nobody asks for its dependents
      if (target.dependents === NONE && target.openDependents === NONE) named.push(target);
      if (entry.pull.merged) {
        if (target.dependents === NONE) target.dependents = [entry];
        else target.dependents.push(entry);
      } else if (target.openDependents === NONE) target.openDependents = [entry];
      else target.openDependents.push(entry);
    }
  }
  for (const entry of named) {
    if (entry.dependents.length > 1) entry.dependents.sort(byKeyOrder);
    if (entry.openDependents.length > 1) entry.openDependents.sort(byKeyOrder);
  }

  let mergedByRepo: Map<string, PoolPull[]> | null = null;
  const mergedIn = (repo: string): readonly PoolPull[] => {
    if (mergedByRepo === null) {
      const merged = [...entries.values()].filter((e) => e.pull.merged).sort(byKeyOrder);
      mergedByRepo = new Map();
      for (const e of merged) {
        const r = e.pull.repo.toLowerCase();
        const list = mergedByRepo.get(r);
        if (list) list.push(e);
        else mergedByRepo.set(r, [e]);
      }
    }
    return mergedByRepo.get(repo.toLowerCase()) ?? NONE;
  };
  return {
    get: (repo, number) => entries.get(pullKey(repo, number)),
    byKey: (key) => entries.get(key),
    byMergeCommit(repo, sha) {
      const prefix = sha.toLowerCase();
      return mergedIn(repo).find((e) => e.pull.mergeCommitSha !== null && e.pull.mergeCommitSha.toLowerCase().startsWith(prefix));
    },
    mergedIn,
  };
}
