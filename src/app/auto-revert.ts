/**
 * Automatic reverts (SPEC §1, §4): a check run, commit status or workflow run that a repo's contract
 * names fails on a watched branch after a merge. When the trigger has failed on enough consecutive
 * commits, the merged PR where it started failing is rolled back like a `/rollback` on it, under the
 * policy's `auto` action, with the tracking issue in the org config repo. The rollback id derives
 * from the culprit commit, so every further failure of any trigger on it finds the same rollback.
 */
import picomatch from 'picomatch';
import { loadContract } from '../config/load-contract.ts';
import { parseDuration } from '../config/duration.ts';
import type { CheckState, GitHubPort, PullInfo, RepoRef } from '../github/port.ts';
import { deriveRollbackId } from '../shared/rollback-id.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { CONFIG_REPO } from './plan-request.ts';
import { startRollback } from './start-rollback.ts';
import { announceRevert, type PendingState } from './veto-window/announce-revert.ts';
import { NO_REVERT_LABEL } from './veto-window/pending-revert.ts';
import { isUnwindRevertPull } from '../execution/revert-by-github.ts';

export interface FailedTrigger {
  readonly repo: RepoRef;
  readonly kind: 'check' | 'status' | 'workflow';
  /** Check-run name, status context or workflow name. */
  readonly name: string;
  readonly sha: string;
  /** Branches the event names for the commit (check suites and workflow runs name one; statuses list them). */
  readonly branches: readonly string[];
  readonly url: string | null;
}

export type AutoRevertOutcome =
  | { kind: 'started'; id: string; pull: number }
  | { kind: 'pending'; id: string; pull: number; state: PendingState }
  | { kind: 'ignored'; why: string };

/** Commits walked back from the failing one when counting consecutive failures. */
const MAX_STREAK_WALK = 50;

export async function autoRevert(env: CommandEnv, t: FailedTrigger): Promise<AutoRevertOutcome> {
  const port = env.client.port;
  const ignored = (why: string): AutoRevertOutcome => {
    env.log.info({ repo: `${t.repo.owner}/${t.repo.repo}`, trigger: t.name, sha: t.sha, why }, 'no automatic revert');
    return { kind: 'ignored', why };
  };
  // 1. The repo's contract must opt in, name this trigger and watch this branch.
  const { loaded } = await loadContract(port, { owner: t.repo.owner, repo: t.repo.repo, configRepo: CONFIG_REPO });
  const contract = loaded.contract;
  if (!contract) return ignored('the contract does not load');
  const auto = contract.auto_revert;
  if (contract.paused || !auto.enabled) return ignored('automatic reverts are off in the contract');
  const patterns = t.kind === 'check' ? auto.checks : t.kind === 'status' ? auto.statuses : auto.workflows;
  if (!patterns.some((p) => picomatch.isMatch(t.name, p))) return ignored(`the contract does not name ${t.kind} "${t.name}"`);
  const info = await port.getRepo(t.repo);
  if (!info) return ignored('the repository is not visible');
  const watched = auto.branches.length ? auto.branches : [info.defaultBranch];
  const isWatched = (b: string): boolean => watched.some((w) => picomatch.isMatch(b, w));
  // Events that name no branch (a check suite on a commit that is no longer a branch tip) are
  // placed by the culprit PR's base below.
  const eventBranch = t.branches.find(isWatched);
  if (t.branches.length && !eventBranch) return ignored(`the failure is not on a watched branch (${watched.join(', ')})`);
  // 2. Consecutive failures: the trigger failed on this commit and on enough first-parent predecessors.
  const streak = await failingStreak(port, t);
  if (streak.length < auto.consecutive_failures) return ignored(`${streak.length} consecutive failure(s), the contract wants ${auto.consecutive_failures}`);
  // 3. The culprit: the merged PR whose merge commit started the streak, merged recently enough.
  const culpritSha = streak[streak.length - 1];
  const pull = (await port.listPullsForCommit(t.repo, culpritSha)).find((p) => p.merged && p.mergeCommitSha === culpritSha);
  if (!pull) return ignored(`commit ${culpritSha.slice(0, 7)} is not the merge of a pull request`);
  // Never revert a revert automatically: that is how two bots loop.
  if (isUnwindRevertPull(pull)) return ignored(`#${pull.number} is an Unwind revert`);
  const branch = eventBranch ?? pull.baseRef;
  if (!isWatched(branch)) return ignored(`#${pull.number} was merged into ${branch}, not a watched branch (${watched.join(', ')})`);
  const maxAge = parseDuration(auto.max_culprit_age) ?? 86_400_000;
  if (!pull.mergedAt || env.now().getTime() - Date.parse(pull.mergedAt) > maxAge) return ignored(`#${pull.number} was merged more than ${auto.max_culprit_age} ago`);
  const id = deriveRollbackId(`auto:${t.repo.owner}/${t.repo.repo}@${culpritSha}`);
  // Plain text, like a typed reason: wherever it is shown, it goes through `mdText`.
  const reason = `${t.kind} "${t.name}" failed on ${branch} at ${t.sha.slice(0, 7)}${streak.length > 1 ? ` (${streak.length} consecutive commits)` : ''}`;
  // 4. A PR can opt out (label, or the contract's marker in its body); a manual `/rollback` still works.
  const optOut = await optedOut(port, t.repo, pull, auto.no_revert_marker);
  if (optOut) return ignored(`#${pull.number} is exempt from automatic reverts (${optOut})`);
  // 5. With a veto window, announce and wait (durably); the window's end starts the revert.
  const graceMs = parseDuration(auto.grace) ?? 0;
  if (graceMs > 0) {
    const pending = await announceRevert(env, { id, repo: t.repo, pull, reason, graceMs, trigger: { kind: t.kind, name: t.name, sha: t.sha, branch, url: t.url } });
    return { kind: 'pending', id, pull: pull.number, state: pending };
  }
  // 6. Roll it back: the same flow as `/rollback` on the PR, with the policy's `auto` action.
  await revertCulprit(env, { id, repo: t.repo, pull, reason, url: t.url });
  return { kind: 'started', id, pull: pull.number };
}

/** Starts (or finds again: the id derives from the culprit) the automatic rollback of a culprit PR. */
export async function revertCulprit(env: CommandEnv, p: { id: string; repo: RepoRef; pull: PullInfo; reason: string; url: string | null }): Promise<void> {
  await startRollback(env, culpritFacts(env, p.repo, p.pull, p.id, p.url), {
    targets: [{ kind: 'pull', owner: p.repo.owner, repo: p.repo.repo, number: p.pull.number }],
    reason: p.reason,
    dryRun: false,
    overrides: [],
    auto: { id: p.id, trackingRepo: { owner: p.repo.owner, repo: CONFIG_REPO }, url: p.url },
  });
}

/** Why a PR is exempt from automatic reverts (its label, or the contract's marker in its body), or null. */
export async function optedOut(port: GitHubPort, repo: RepoRef, pull: PullInfo, marker: string): Promise<string | null> {
  // REST's PR objects carry their labels; a PR from elsewhere (GraphQL, a test's port) is read as an issue.
  const labels = pull.labels ?? (await port.getIssue(repo, pull.number))?.labels ?? [];
  if (labels.includes(NO_REVERT_LABEL)) return `label ${NO_REVERT_LABEL}`;
  if (marker && pull.body.includes(marker)) return `"${marker}" in its description`;
  return null;
}

/** The culprit PR stands where a command's comment would: replies and the origin link go there. */
function culpritFacts(env: CommandEnv, repo: RepoRef, pull: PullInfo, id: string, url: string | null): CommentFacts {
  return {
    repo,
    issueNumber: pull.number,
    isPullRequest: true,
    issueUrl: pull.htmlUrl,
    // Replies are keyed by this number: one per rollback id, whichever trigger fired.
    commentId: Number.parseInt(id.replace(/^rb-/, ''), 36),
    commentUrl: url ?? pull.htmlUrl,
    actor: env.botLogin,
    actorIsBot: true,
    botLogin: env.botLogin,
  };
}

/**
 * The commits, newest first, on which the trigger failed without a break, starting with the failing
 * one and following first parents; the walk stops at the first commit where the trigger passed or
 * left no result (the oldest commit of the streak is where the failures began), or after
 * MAX_STREAK_WALK commits.
 */
async function failingStreak(port: GitHubPort, t: FailedTrigger): Promise<string[]> {
  const streak = [t.sha];
  let sha = t.sha;
  for (let i = 1; i < MAX_STREAK_WALK; i++) {
    const commit = await port.getCommit(t.repo, sha);
    const parent = commit?.parents[0];
    if (!parent) break;
    const state = await triggerState(port, t, parent);
    if (state !== 'failure') break;
    streak.push(parent);
    sha = parent;
  }
  return streak;
}

export async function triggerState(port: GitHubPort, t: Pick<FailedTrigger, 'repo' | 'kind' | 'name'>, sha: string): Promise<CheckState | null> {
  if (t.kind === 'workflow') {
    const runs = (await port.listWorkflowRuns(t.repo, { headSha: sha })).filter((r) => r.name === t.name && r.status === 'completed');
    if (!runs.length) return null;
    return runs.some((r) => r.conclusion === 'success') ? 'success' : 'failure';
  }
  const results = (await port.listChecks(t.repo, sha)).filter((c) => c.name === t.name && c.source === (t.kind === 'check' ? 'check_run' : 'status'));
  if (results.some((r) => r.state === 'success')) return 'success';
  return results.some((r) => r.state === 'failure') ? 'failure' : null;
}
