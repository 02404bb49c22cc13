/**
 * Finds rollbacks from GitHub alone: tracking issues labelled `unwind:rollback` that Unwind opened
 * itself, with a state it signed (see openTrackingState). Anything else is not a rollback.
 */
import type { GitHubPort, IssueInfo, RepoRef } from '../github/port.ts';
import { countHiddenOpeners } from '../ledger/hidden-json.ts';
import { isActive, type RollbackState } from '../execution/state.ts';
import { openTrackingState, TRACKING_LABEL } from '../execution/tracking-issue.ts';
import { TamperedStateError } from '../trust/report-tampering.ts';
import { writtenByUnwind, type Trust } from '../trust/trust.ts';
import { registryOf } from '../registry/registry-locks.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { configRepoOf } from './plan-request.ts';

export interface FoundRollback {
  readonly issue: IssueInfo;
  readonly state: RollbackState;
}

/** An issue that looks like a tracking issue (labelled, or opened by Unwind, or carrying a state block) but cannot be trusted. */
export interface RejectedIssue {
  readonly issue: IssueInfo;
  readonly why: string;
}

/** Tracking issues of `repo`, trusted or not; `alsoLabelled` narrows to those that carry more labels (e.g. unwind:auto). */
export async function scanTrackingIssues(port: GitHubPort, repo: RepoRef, trust: Trust, state: 'open' | 'all' = 'open', alsoLabelled: readonly string[] = []): Promise<{ found: FoundRollback[]; rejected: RejectedIssue[] }> {
  const found: FoundRollback[] = [];
  const rejected: RejectedIssue[] = [];
  for (const issue of await port.listIssues(repo, { labels: [TRACKING_LABEL, ...alsoLabelled], state })) {
    if (issue.isPullRequest) continue;
    const opened = openTrackingState(issue, trust);
    if (opened.ok) found.push({ issue, state: opened.state });
    // A label alone on an issue with no state is somebody's mistake, not an attempt: not reported.
    else if (writtenByUnwind(trust, issue.user) || countHiddenOpeners('state', issue.body) > 0) rejected.push({ issue, why: opened.why });
  }
  return { found, rejected };
}

/** Rollbacks tracked in `repo` whose state Unwind can trust. */
export async function listRollbacks(port: GitHubPort, repo: RepoRef, trust: Trust, state: 'open' | 'all' = 'open', alsoLabelled: readonly string[] = []): Promise<FoundRollback[]> {
  return (await scanTrackingIssues(port, repo, trust, state, alsoLabelled)).found;
}

/**
 * Rollback `id`, wherever in the org it is tracked: the org's registry says where (active ones and
 * the last that finished), else the tracking issues of `repo` are searched (rollbacks older than the
 * registry). The issue found is trusted only if it passes openTrackingState like any other.
 */
export async function findRollbackById(port: GitHubPort, repo: RepoRef, trust: Trust, id: string, registry?: RegistryStore): Promise<FoundRollback | null> {
  const registered = await registeredTracking(registry ?? registryOf(port, trust, configRepoOf(repo.owner)), id);
  if (registered) {
    const issue = await port.getIssue(parseRepo(registered.repo), registered.number);
    const opened = issue ? openTrackingState(issue, trust) : null;
    if (issue && opened?.ok && opened.state.id === id) return { issue, state: opened.state };
  }
  const all = await listRollbacks(port, repo, trust, 'all');
  return all.find((r) => r.state.id === id) ?? null;
}

/** `registry`: the org's (a store kept by the caller answers an unchanged registry from its cache). */
async function registeredTracking(registry: RegistryStore, id: string): Promise<{ repo: string; number: number } | null> {
  let doc;
  try {
    doc = await registry.read();
  } catch {
    // No config repo, or a registry Unwind cannot trust: the repository's own tracking issues are searched instead.
    return null;
  }
  if (Object.hasOwn(doc.rollbacks, id)) return doc.rollbacks[id].tracking;
  return doc.recent.find((r) => r.rollback === id)?.tracking ?? null;
}

/** The active rollback holding `repo` in its org's registry (wherever it is tracked), or null. */
export async function lockHolderOf(port: GitHubPort, trust: Trust, repo: RepoRef): Promise<{ rollback: string; tracking: { repo: string; number: number; url: string } | null } | null> {
  const name = `${repo.owner}/${repo.repo}`;
  try {
    const doc = await registryOf(port, trust, configRepoOf(repo.owner)).read();
    const lock = Object.entries(doc.locks).find(([r]) => r.toLowerCase() === name.toLowerCase())?.[1];
    if (!lock) return null;
    return { rollback: lock.rollback, tracking: Object.hasOwn(doc.rollbacks, lock.rollback) ? doc.rollbacks[lock.rollback].tracking : null };
  } catch {
    return null;
  }
}

/**
 * The rollback a command on `issueNumber` refers to: the named id, else the tracking issue itself,
 * else the newest active rollback requested from that PR or issue. A command on a tracking issue
 * whose state cannot be trusted throws TamperedStateError: it is answered, never acted on.
 */
export async function resolveRollback(port: GitHubPort, trust: Trust, repo: RepoRef, issueNumber: number, id: string | null): Promise<FoundRollback | null> {
  if (id) return findRollbackById(port, repo, trust, id);
  const { found: all, rejected } = await scanTrackingIssues(port, repo, trust, 'all');
  const here = all.find((r) => r.issue.number === issueNumber);
  if (here) return here;
  const tampered = rejected.find((r) => r.issue.number === issueNumber);
  if (tampered) throw new TamperedStateError(`${repo.owner}/${repo.repo}#${issueNumber}`, tampered.why);
  const fromOrigin = all.filter((r) => r.state.origin.number === issueNumber && r.state.origin.repo === `${repo.owner}/${repo.repo}`);
  return fromOrigin.find((r) => isActive(r.state)) ?? fromOrigin.sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt))[0] ?? null;
}
