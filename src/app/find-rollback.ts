/** Finds rollbacks from GitHub alone: tracking issues labelled `unwind:rollback` with hidden state. */
import type { GitHubPort, IssueInfo, RepoRef } from '../github/port.ts';
import { isActive, type RollbackState } from '../execution/state.ts';
import { parseTrackingState, TRACKING_LABEL } from '../execution/tracking-issue.ts';

export interface FoundRollback {
  readonly issue: IssueInfo;
  readonly state: RollbackState;
}

/** Rollbacks tracked in `repo`; `alsoLabelled` narrows to tracking issues that carry more labels (e.g. unwind:auto). */
export async function listRollbacks(port: GitHubPort, repo: RepoRef, state: 'open' | 'all' = 'open', alsoLabelled: readonly string[] = []): Promise<FoundRollback[]> {
  const found: FoundRollback[] = [];
  for (const issue of await port.listIssues(repo, { labels: [TRACKING_LABEL, ...alsoLabelled], state })) {
    if (issue.isPullRequest) continue;
    const parsed = parseTrackingState(issue.body);
    // The issue itself is authoritative for where the rollback is tracked (a crash may have
    // happened between creating the issue and recording its number in the state).
    if (parsed) found.push({ issue, state: { ...parsed, tracking: { repo: `${repo.owner}/${repo.repo}`, number: issue.number, url: issue.htmlUrl } } });
  }
  return found;
}

export async function findRollbackById(port: GitHubPort, repo: RepoRef, id: string): Promise<FoundRollback | null> {
  const prefix = `Rollback ${id}:`;
  const all = await listRollbacks(port, repo, 'all');
  return all.find((r) => r.issue.title.startsWith(prefix) && r.state.id === id) ?? null;
}

/**
 * The rollback a command on `issueNumber` refers to: the named id, else the tracking issue itself,
 * else the newest active rollback requested from that PR or issue.
 */
export async function resolveRollback(port: GitHubPort, repo: RepoRef, issueNumber: number, id: string | null): Promise<FoundRollback | null> {
  if (id) return findRollbackById(port, repo, id);
  const all = await listRollbacks(port, repo, 'all');
  const here = all.find((r) => r.issue.number === issueNumber);
  if (here) return here;
  const fromOrigin = all.filter((r) => r.state.origin.number === issueNumber && r.state.origin.repo === `${repo.owner}/${repo.repo}`);
  return fromOrigin.find((r) => isActive(r.state)) ?? fromOrigin.sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt))[0] ?? null;
}

/** Active rollbacks (in the repos given) that hold any of `repos`: the one-active-rollback-per-repo lock. */
export async function findLockHolders(port: GitHubPort, trackingRepos: RepoRef[], repos: string[], exceptId: string): Promise<Array<{ repo: string; holder: RollbackState }>> {
  const holders: Array<{ repo: string; holder: RollbackState }> = [];
  const wanted = new Set(repos);
  for (const trackingRepo of trackingRepos) {
    for (const { state } of await listRollbacks(port, trackingRepo, 'open')) {
      if (state.id === exceptId || !isActive(state)) continue;
      for (const step of state.steps) if (wanted.has(step.repo) && step.state !== 'verified') holders.push({ repo: step.repo, holder: state });
    }
  }
  return holders;
}
