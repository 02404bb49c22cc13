/**
 * A step that reverts exactly one merged PR can let GitHub do the revert (GraphQL `revertPullRequest`, the
 * "Revert" button): one call creates the branch `revert-<n>-<head>` and opens the PR, with no clone. Unwind
 * passes its own title and body (revert-text.ts), so the PR reads as a git-made one and carries the
 * `Rollback-Id` marker. Anything else (commits, several targets, what GitHub refuses) takes the git path.
 *
 * Idempotent resume: before calling the mutation, the PR an earlier run made is looked up by GitHub's branch
 * name and the marker in its body, so a crash after the mutation never opens a second revert PR.
 *
 * `UNWIND_REVERT_VIA`: `github` (the default) does this; `git` keeps every revert on the git path.
 */
import type { GitHubPort, PullInfo, RepoInfo, RepoRef } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { RunContext } from './run-context.ts';
import { revertPullBody, revertPullTitle } from './revert-text.ts';
import type { StepState } from './state.ts';

export type RevertVia = 'git' | 'github';

/** `UNWIND_REVERT_VIA`: `github` (default) or `git`; anything else is an error naming the variable. */
export function revertViaFromEnv(env: NodeJS.ProcessEnv = process.env): RevertVia {
  const raw = env.UNWIND_REVERT_VIA?.trim();
  if (raw === undefined || raw === '' || raw === 'github') return 'github';
  if (raw === 'git') return 'git';
  throw new Error(`UNWIND_REVERT_VIA must be git or github, got ${JSON.stringify(env.UNWIND_REVERT_VIA)}`);
}

/** The one merged PR a step reverts, when that is all it does. */
export function onlyPullTarget(step: StepState): { number: number; sha: string; headRef?: string; nodeId?: string } | null {
  if (step.kind !== 'revert' || step.targets.length !== 1) return null;
  const [t] = step.targets;
  return t.kind === 'pull' && t.number !== null ? { number: t.number, sha: t.sha, headRef: t.headRef, nodeId: t.nodeId } : null;
}

/** What GitHub's revert needs to know of the PR it reverts. */
export type RevertedPull = Pick<PullInfo, 'number' | 'headRef' | 'merged' | 'mergeCommitSha' | 'nodeId'>;

/**
 * The step's PR as the plan saw it, when the plan kept its head branch and GraphQL id: a merged PR's never
 * change, so GitHub's revert needs no read of the PR then.
 */
export function plannedPull(step: StepState): RevertedPull | null {
  const t = onlyPullTarget(step);
  return t?.headRef && t.nodeId ? { number: t.number, headRef: t.headRef, merged: true, mergeCommitSha: t.sha, nodeId: t.nodeId } : null;
}

/** GitHub's revert branch for `pull`, before any `-<n>` suffix: where an earlier run's revert PR is looked for first. */
export function githubRevertBranch(pull: Pick<PullInfo, 'number' | 'headRef'>): string {
  return `revert-${pull.number}-${pull.headRef}`;
}

/** The PRs on GitHub's revert branch of `pull` (any state): read with the step's first reads when the plan knows the branch. */
export function pullsOnRevertBranch(port: GitHubPort, ref: RepoRef, pull: Pick<PullInfo, 'number' | 'headRef'>): Promise<PullInfo[]> {
  return port.listPulls(ref, { head: `${ref.owner}:${githubRevertBranch(pull)}`, state: 'all' });
}

/** The marker Unwind writes into every revert PR's body (revert-text.ts). */
export function rollbackMarker(rollbackId: string): string {
  return `Rollback-Id: ${rollbackId}`;
}

/** An Unwind revert PR: its git branch, or GitHub's revert branch opened by a bot with Unwind's marker. */
export function isUnwindRevertPull(pull: Pick<PullInfo, 'headRef' | 'body' | 'user'>): boolean {
  if (pull.headRef.startsWith('unwind/')) return true;
  return /^revert-\d+-/.test(pull.headRef) && pull.user.type === 'Bot' && /^Rollback-Id: \S+$/m.test(pull.body);
}

/**
 * GitHub's revert of the step's PR: the revert PR (opened now, or by an earlier run), or why the git path must
 * do it (the reason goes into the log and the step's detail). `read` is the step's PR when the caller has it
 * (read, or as planned), and `onBranch` the PRs on its revert branch when the caller has read them.
 */
export async function revertByGithub(ctx: RunContext, step: StepState, info: RepoInfo, read?: RevertedPull | null, onBranch?: PullInfo[]): Promise<{ kind: 'opened'; pull: PullInfo; resumed: boolean } | { kind: 'fallback'; reason: string }> {
  const port = ctx.deps.port;
  const target = onlyPullTarget(step);
  if (!target || !port.revertPullRequest) return { kind: 'fallback', reason: 'GitHub revert not available for this step' };
  const ref = parseRepo(step.repo);
  // (`read`: the caller read the PR already, together with its other reads.)
  const original = read !== undefined ? read : await port.getPull(ref, target.number);
  if (!original?.merged) return { kind: 'fallback', reason: `${step.repo}#${target.number} is not a merged pull request` };
  // GitHub reverts the PR's merge; a plan that names another commit of it is reverted exactly, with git.
  if (original.mergeCommitSha !== target.sha) return { kind: 'fallback', reason: `the step reverts ${target.sha.slice(0, 12)}, not the merge of #${target.number}` };
  if (!original.nodeId) return { kind: 'fallback', reason: `no GraphQL id for ${step.repo}#${target.number}` };
  const earlier = await findEarlierRevert(port, ref, info, original, rollbackMarker(ctx.state.id), onBranch);
  if (earlier) return { kind: 'opened', pull: earlier, resumed: true };
  const outcome = await port.revertPullRequest(ref, { pullNodeId: original.nodeId, title: revertPullTitle(step), body: revertPullBody(ctx.state, step) });
  if (outcome.kind === 'refused') return { kind: 'fallback', reason: `GitHub refused the revert (${outcome.type ?? 'error'}: ${outcome.message})` };
  return { kind: 'opened', pull: outcome.pull, resumed: false };
}

/**
 * The revert PR an earlier run of this rollback made: GitHub's branch `revert-<n>-<head>` first (one request,
 * any state); if that branch belongs to someone else's revert, GitHub chose a suffixed name, so the open PRs to
 * the default branch are searched for the marker.
 */
async function findEarlierRevert(port: GitHubPort, ref: RepoRef, info: RepoInfo, original: RevertedPull, marker: string, onBranch?: PullInfo[]): Promise<PullInfo | null> {
  const branch = githubRevertBranch(original);
  const ours = (p: PullInfo): boolean => p.body.split('\n').some((line) => line.trim() === marker);
  const byBranch = onBranch ?? (await pullsOnRevertBranch(port, ref, original));
  const found = byBranch.find(ours);
  if (found || byBranch.length === 0) return found ?? null;
  const open = await port.listPulls(ref, { base: info.defaultBranch, state: 'open' });
  return open.find((p) => p.headRef.startsWith(`${branch}-`) && ours(p)) ?? null;
}
