/**
 * Check results as GitHub announced them by webhook (`check_run.completed`, `status`), kept by a replica so
 * that a revert PR waiting for its checks can merge the moment the last one turns green, without first
 * reading back what the webhook has just said. Webhooks are signed by GitHub (Probot verifies them), so
 * a sighting is GitHub's word, as a read would be; it is only ever used to go ahead sooner, never to
 * conclude that a check failed (that is read from GitHub).
 *
 * Deliveries can arrive out of order: per check name the newest result wins by GitHub's id (a re-run is a
 * new check run, a new status a new status object, each with a larger id).
 */
import { checkRunState, statusState } from './combine-checks.ts';
import type { CheckResult, CheckState, RepoRef } from './port.ts';

interface Sighting {
  readonly id: number;
  readonly state: CheckState;
  readonly source: CheckResult['source'];
  readonly url: string | null;
}

export class CheckSightings {
  /** `owner/repo@sha` (lower case) → source and check name → newest result. Insertion order is age, for the bound. */
  private readonly commits = new Map<string, Map<string, Sighting & { readonly name: string }>>();

  /** Who waits for the next sighting of a commit (see `next`). */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly maxCommits = DEFAULT_MAX_COMMITS) {}

  /** Notes a result; an older one (smaller id) than what is known for that name is ignored. */
  record(repo: RepoRef, sha: string, name: string, sighting: Sighting): void {
    const key = commitKey(repo, sha);
    const slot = `${sighting.source}:${name}`;
    let names = this.commits.get(key);
    if (!names) {
      names = new Map();
      this.commits.set(key, names);
      if (this.commits.size > this.maxCommits) this.commits.delete(this.commits.keys().next().value as string);
    }
    const known = names.get(slot);
    if (!known || known.id <= sighting.id) names.set(slot, { ...sighting, name });
    for (const wake of this.waiters.get(key) ?? []) wake();
  }

  /**
   * Resolves at the next result recorded for the commit: a run reading its checks also listens, since the
   * webhook it waits for may come while its read is on the way. `cancel` stops listening (the promise then
   * never resolves).
   */
  next(repo: RepoRef, sha: string): { readonly seen: Promise<void>; cancel(): void } {
    const key = commitKey(repo, sha);
    let wake = (): void => undefined;
    const seen = new Promise<void>((resolve) => {
      wake = () => {
        cancel();
        resolve();
      };
    });
    const cancel = (): void => {
      const set = this.waiters.get(key);
      set?.delete(wake);
      if (set?.size === 0) this.waiters.delete(key);
    };
    const set = this.waiters.get(key) ?? new Set();
    set.add(wake);
    this.waiters.set(key, set);
    return { seen, cancel };
  }

  /** The newest result of each check seen for a commit, as CheckResult (empty when none was seen). */
  of(repo: RepoRef, sha: string): CheckResult[] {
    const names = this.commits.get(commitKey(repo, sha));
    return names ? [...names.values()].map((s) => ({ name: s.name, state: s.state, source: s.source, url: s.url, id: s.id })) : [];
  }
}

/** A `check_run` webhook's run as a sighting, its conclusion judged as a read of it is. */
export function checkRunSighting(run: { id: number; status: string; conclusion: string | null; html_url?: string | null }): Sighting {
  return { id: run.id, state: checkRunState(run), source: 'check_run', url: run.html_url ?? null };
}

/** A `status` webhook as a sighting. */
export function statusSighting(p: { id: number; state: string; target_url?: string | null }): Sighting {
  return { id: p.id, state: statusState(p.state), source: 'status', url: p.target_url ?? null };
}

function commitKey(repo: RepoRef, sha: string): string {
  return `${repo.owner}/${repo.repo}@${sha}`.toLowerCase();
}

/** Commits remembered (each a handful of names): far more than the revert PRs of running rollbacks. */
const DEFAULT_MAX_COMMITS = 5_000;
