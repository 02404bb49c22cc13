/**
 * One step's state machine: planned → branch_pushed → pr_open → checks_pending → mergeable →
 * merged → verified, or a stopping state. Before every effect it looks for the effect in GitHub
 * (branch exists? PR for that head? already merged?), so a resumed run never duplicates one.
 */
import { GitHubError } from '../github/errors.ts';
import type { CheckResult, MergeMethod, PullInfo, RepoInfo } from '../github/port.ts';
import { mdCode, mdText } from '../shared/markdown.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { runCompensations } from './run-compensations.ts';
import { onlyPullTarget, plannedPull, pullsOnRevertBranch, revertByGithub, revertViaFromEnv, type RevertedPull } from './revert-by-github.ts';
import type { RunContext } from './run-context.ts';
import { revertCommitMessage, revertMergeMessage, revertPullBody, revertPullTitle } from './revert-text.ts';
import type { StepState } from './state.ts';
import { filesBefore, findDrift, type FilesAfter, type FilesBefore } from './verify-step.ts';
import { greenByWebhook, readOrGreen, rememberChecksRead } from './green-by-webhook.ts';
import { formatMs } from './render-summary.ts';

export type StepProgress = 'waiting' | 'stopped' | 'done';
type Tick = StepProgress | 'progress';

const MAX_TICKS = 25;

export async function advanceStep(ctx: RunContext, step: StepState): Promise<StepProgress> {
  for (let i = 0; i < MAX_TICKS; i++) {
    const tick = await stepOnce(ctx, step);
    if (tick !== 'progress') return tick;
  }
  return 'waiting';
}

async function stepOnce(ctx: RunContext, step: StepState): Promise<Tick> {
  switch (step.state) {
    case 'planned':
      return startStep(ctx, step);
    case 'branch_pushed':
      return openPull(ctx, step);
    case 'pr_open':
    case 'checks_pending':
      return awaitChecks(ctx, step);
    case 'mergeable':
      return merge(ctx, step);
    case 'merged':
      return verify(ctx, step);
    case 'verified':
      return 'done';
    default:
      return 'stopped';
  }
}

async function startStep(ctx: RunContext, step: StepState): Promise<Tick> {
  step.startedAt ??= ctx.deps.now().toISOString();
  const before = await runCompensations(ctx, step, 'before_revert');
  if (before !== 'done') return before;
  if (step.kind === 'compensate') {
    const after = await runCompensations(ctx, step, 'after_revert');
    if (after !== 'done') return after;
    await ctx.transition(step, 'verified', null, { detail: 'compensations succeeded', verifiedAt: ctx.deps.now().toISOString() });
    return 'done';
  }
  const ref = parseRepo(step.repo);
  // Read ahead by the run (prefetchStart), else now.
  const ahead = ctx.take<FirstReads>(firstReadsKey(step));
  const [info, existing, original, onBranch] = (ahead && (await ahead.catch(() => null))) ?? (await firstReads(ctx, step));
  const target = onlyPullTarget(step);
  const only = target && revertViaFromEnv() === 'github' ? target : null;
  if (existing) {
    await ctx.transition(step, 'branch_pushed', null, { headSha: existing });
    return 'progress';
  }
  if (only) {
    const byGithub = await revertByGithub(ctx, step, info, original, onBranch);
    if (byGithub.kind === 'opened') return pullOpened(ctx, step, byGithub.pull);
    ctx.deps.log.info({ rollback: ctx.state.id, step: step.key, reason: byGithub.reason }, 'reverting with git instead of GitHub');
    await ctx.note('step:revert_fallback', () => void (step.detail = `reverted with git: ${byGithub.reason}`));
  }
  const result = await ctx.deps.revert({
    cloneUrl: info.cloneUrl,
    baseBranch: info.defaultBranch,
    branch: step.branch,
    reverts: step.targets.map((t) => ({ sha: t.sha, message: revertCommitMessage(ctx.state, step.repo, t) })),
  });
  switch (result.kind) {
    case 'pushed':
      await ctx.transition(step, 'branch_pushed', null, { headSha: result.headSha, bytesFetched: result.bytesFetched });
      return 'progress';
    case 'branch_exists': {
      const sha = await ctx.deps.port.getBranchSha(ref, step.branch);
      await ctx.transition(step, 'branch_pushed', null, { headSha: sha });
      return 'progress';
    }
    case 'conflict':
      await ctx.transition(
        step,
        'conflict',
        { text: `Reverting ${mdCode(result.sha.slice(0, 12))} in ${mdText(step.repo)} conflicts with later changes in: ${result.files.map((f) => mdCode(f)).join(', ') || 'unknown files'}.`, outcome: 'conflict', details: { sha: result.sha, files: result.files } },
        { detail: `conflict in ${result.files.join(', ') || 'unknown files'}` },
      );
      return 'stopped';
    case 'nothing_to_revert':
      await ctx.transition(step, 'verified', null, { detail: `already undone on ${info.defaultBranch}; nothing to revert`, verifiedAt: ctx.deps.now().toISOString() });
      return 'done';
    case 'missing_commit':
      await ctx.transition(step, 'failed', { text: `Commit ${mdCode(result.sha)} is not reachable from ${mdCode(info.defaultBranch)} of ${mdText(step.repo)}.`, outcome: 'failed' }, { detail: `commit ${result.sha} not on ${info.defaultBranch}` });
      return 'stopped';
  }
}

type FirstReads = [RepoInfo, string | null, RevertedPull | null, PullInfo[] | undefined];

/**
 * What a step starts with, read together: its repository, its git branch (an earlier run's), and for GitHub's
 * revert (one merged PR: one GraphQL call, no clone; git otherwise) the PR it reverts (as planned, else read)
 * and the PRs on its revert branch (an earlier run's).
 */
function firstReads(ctx: RunContext, step: StepState): Promise<FirstReads> {
  const ref = parseRepo(step.repo);
  const target = onlyPullTarget(step);
  const only = target && revertViaFromEnv() === 'github' ? target : null;
  const planned = only ? plannedPull(step) : null;
  return Promise.all([
    ctx.repo(step.repo),
    ctx.deps.port.getBranchSha(ref, step.branch),
    only ? (planned ?? ctx.deps.port.getPull(ref, only.number)) : null,
    planned ? pullsOnRevertBranch(ctx.deps.port, ref, planned) : undefined,
  ]);
}

function firstReadsKey(step: StepState): string {
  return `first reads ${step.key}`;
}

/**
 * Starts a planned step's first reads ahead of it: the run does this for a wave while the previous one waits
 * for its checks (and for the first wave while it records the request), so that a wave starts with its
 * reverts. What they read (the step's branches and PRs) only this run creates, so the answers stay true.
 */
export function prefetchStart(ctx: RunContext, step: StepState): void {
  if (step.state !== 'planned' || step.kind !== 'revert') return;
  ctx.prefetch(firstReadsKey(step), () => firstReads(ctx, step));
}

async function openPull(ctx: RunContext, step: StepState): Promise<Tick> {
  const ref = parseRepo(step.repo);
  const info = await ctx.repo(step.repo);
  const port = ctx.deps.port;
  let pr = (await port.listPulls(ref, { head: `${ref.owner}:${step.branch}`, state: 'all' }))[0];
  if (!pr) {
    try {
      pr = await port.createPull(ref, { title: revertPullTitle(step), head: step.branch, base: info.defaultBranch, body: revertPullBody(ctx.state, step) });
    } catch (err) {
      if (!(err instanceof GitHubError && err.status === 422)) throw err;
      pr = (await port.listPulls(ref, { head: `${ref.owner}:${step.branch}`, state: 'all' }))[0];
      if (!pr) throw err;
    }
  }
  return pullOpened(ctx, step, pr);
}

/** The step's revert PR is open (made with git and REST, or by GitHub's revert): labels, then `pr_open`. */
async function pullOpened(ctx: RunContext, step: StepState, pr: PullInfo): Promise<Tick> {
  // The contract's labels (adding a label again is a no-op on GitHub, so a resumed step may repeat it).
  if (step.labels.length) await ctx.deps.port.addLabels(parseRepo(step.repo), pr.number, [...step.labels]);
  const now = ctx.deps.now().toISOString();
  ctx.state.timings.firstPrAt ??= now;
  // GitHub's revert names its own branch (revert-<n>-<head>): the step follows it (abort deletes that one).
  await ctx.progress(step, 'pr_open', { pr: { number: pr.number, url: pr.htmlUrl }, headSha: pr.headSha, prOpenedAt: now, branch: pr.headRef });
  // What verification compares with after the merge, read while the PR waits for its checks.
  ctx.prefetch(filesBeforeKey(step), () => filesBefore(ctx.deps.port, parseRepo(step.repo), step));
  return 'progress';
}

function filesBeforeKey(step: StepState): string {
  return `files before ${step.key}`;
}

/**
 * True when the step waits for checks and nothing was reported about its repository since this run last read
 * them: a read would say the same again, so a pass leaves it to listen (run-rollback.ts, greenWhile) instead of
 * advancing it. (A lost webhook is caught by the fallback poll, after which every step reads; see
 * RunContext.changed.) Not when the webhooks already show its checks green.
 */
export function waitsUnchanged(ctx: RunContext, step: StepState): boolean {
  if (step.state !== 'checks_pending' || !ctx.checksRead.has(step.key) || !ctx.untouched(step.repo)) return false;
  return !(ctx.state.decision.autoMerge && greenByWebhook(ctx, step));
}

async function awaitChecks(ctx: RunContext, step: StepState): Promise<Tick> {
  const ref = parseRepo(step.repo);
  const info = await ctx.repo(step.repo);
  // The webhook that turned the last required check green woke this: merge without reading it all back. Else
  // the PR and the branch's required checks together (each round trip from here to the merge delays the
  // wave), with the checks of the head the step knows at the same time (if the PR's head moved, read again);
  // unless that webhook comes while they are read.
  const known = step.waitForChecks.length ? step.headSha : null;
  const green = step.state === 'checks_pending' && ctx.state.decision.autoMerge ? greenByWebhook(ctx, step) : null;
  const got = green ? { green } : await readOrGreen(ctx, step, Promise.all([readPull(ctx, step), requiredChecks(ctx, step, info), known ? ctx.deps.port.listChecks(ref, known) : null]));
  if ('green' in got) {
    // Whatever stops this merge (a moved head, a closed PR, GitHub still computing) is read next.
    ctx.checksRead.delete(step.key);
    await ctx.transition(step, 'mergeable', null, { detail: `checks passed: ${got.green.required.join(', ')}` });
    return merge(ctx, step, got.green.pr, { stale: true });
  }
  const [pr, required, early] = got.read;
  if (pr.merged) return markMerged(ctx, step, pr.mergeCommitSha);
  if (pr.state === 'closed') {
    await ctx.transition(step, 'failed', { text: `Revert pull request ${pr.htmlUrl} was closed without merging.`, outcome: 'failed' }, { detail: 'revert PR closed without merging' });
    return 'stopped';
  }
  const checks = required.length ? (early && known === pr.headSha ? early : await ctx.deps.port.listChecks(ref, pr.headSha)) : [];
  rememberChecksRead(ctx, step, { pr, required, checks });
  const verdict = judgeChecks(required, checks);
  if (verdict.failing.length) {
    await ctx.transition(step, 'checks_failed', { text: `Required checks failed on ${pr.htmlUrl}: ${verdict.failing.map((c) => mdCode(c)).join(', ')}.`, outcome: 'checks_failed', details: { failing: verdict.failing } }, { headSha: pr.headSha, detail: `checks failed: ${verdict.failing.join(', ')}` });
    return 'stopped';
  }
  if (verdict.pending.length === 0) {
    await ctx.transition(step, 'mergeable', null, { headSha: pr.headSha, detail: required.length ? `checks passed: ${required.join(', ')}` : null });
    // The PR was read just now: merge from that answer rather than reading it again.
    return merge(ctx, step, pr);
  }
  const now = ctx.deps.now();
  if (step.state === 'pr_open') {
    await ctx.transition(step, 'checks_pending', null, { headSha: pr.headSha, detail: `waiting for ${verdict.pending.join(', ')}`, checksSince: now.toISOString() });
    return 'waiting';
  }
  const since = Date.parse(step.checksSince ?? step.prOpenedAt ?? now.toISOString());
  if (now.getTime() - since > step.checksTimeoutMs) {
    await ctx.transition(
      step,
      'checks_failed',
      { text: `Required checks on ${pr.htmlUrl} did not finish within ${formatMs(step.checksTimeoutMs)} (contract \`revert.checks_timeout\`): ${verdict.pending.map((c) => mdCode(c)).join(', ')}.`, outcome: 'checks_timed_out', details: { pending: verdict.pending } },
      { headSha: pr.headSha, detail: `checks timed out: ${verdict.pending.join(', ')}` },
    );
    return 'stopped';
  }
  return 'waiting';
}

async function requiredChecks(ctx: RunContext, step: StepState, info: RepoInfo): Promise<string[]> {
  const protection = await ctx.deps.port.getRequiredChecks(parseRepo(step.repo), info.defaultBranch);
  return [...new Set([...step.waitForChecks, ...(protection?.contexts ?? [])])].sort();
}

export function judgeChecks(required: readonly string[], checks: readonly CheckResult[]): { failing: string[]; pending: string[] } {
  const failing: string[] = [];
  const pending: string[] = [];
  for (const name of required) {
    const matching = checks.filter((c) => c.name === name);
    if (matching.some((c) => c.state === 'failure')) failing.push(name);
    else if (!matching.some((c) => c.state === 'success')) pending.push(name);
  }
  return { failing, pending };
}

/**
 * `fresh`: the PR as read a moment ago by the same pass (else it is read here). `stale`: as read before the
 * checks turned green; a refusal is then concluded only if the PR, read again, is as it was (else the next
 * pass goes from what it is now).
 */
async function merge(ctx: RunContext, step: StepState, fresh?: PullInfo, opts: { stale?: boolean } = {}): Promise<Tick> {
  const ref = parseRepo(step.repo);
  const info = await ctx.repo(step.repo);
  const pr = fresh ?? (await readPull(ctx, step));
  if (pr.merged) return markMerged(ctx, step, pr.mergeCommitSha);
  if (!ctx.state.decision.autoMerge) return 'waiting'; // policy wants a human to press merge
  if (pr.mergeable === null && !opts.stale) return 'waiting';
  const input = { method: allowedMethod(step.mergeMethod, info), sha: pr.headSha, title: `${pr.title} (#${pr.number})`, message: revertMergeMessage(ctx.state, step) };
  // With GraphQL, the merge's answer also says what the merge left at the step's files: verification then
  // reads nothing. Whatever GraphQL refuses, REST's merge (whose answers this code knows) is asked.
  const port = ctx.deps.port;
  if (port.mergePullRequest && pr.nodeId) {
    const paths = verifiedAtMerge(step);
    const merged = await port.mergePullRequest(ref, { ...input, pullNodeId: pr.nodeId, paths: paths ?? [] });
    if (merged.kind === 'merged') {
      if (paths && merged.files) ctx.prefetch(filesAfterKey(step), () => Promise.resolve({ commit: merged.sha, files: merged.files }));
      return markMerged(ctx, step, merged.sha);
    }
  }
  const outcome = await port.mergePull(ref, pr.number, input);
  switch (outcome.kind) {
    case 'merged':
      return markMerged(ctx, step, outcome.sha);
    case 'head_modified':
      await ctx.transition(step, 'checks_pending', null, { headSha: null, checksSince: ctx.deps.now().toISOString() });
      return 'progress';
    case 'not_mergeable': {
      // Refused on a PR as read before its checks turned green: if it has changed since, go from what it is now.
      const now = opts.stale ? await readPull(ctx, step) : pr;
      if (now.merged || now.state === 'closed' || now.headSha !== pr.headSha) return 'progress';
      if (outcome.retryable) return 'waiting';
      await ctx.transition(step, 'merge_blocked', { text: `GitHub refused to merge ${pr.htmlUrl}: ${mdText(outcome.message)}`, outcome: 'merge_blocked' }, { detail: outcome.message });
      return 'stopped';
    }
  }
}

/**
 * The files to read at the merge commit for verification, or null when verification must look later: after
 * the step's `after_revert` compensations (which may change the branch).
 */
function verifiedAtMerge(step: StepState): string[] | null {
  if (step.compensations.some((c) => c.when === 'after_revert')) return null;
  return [...new Set(step.targets.flatMap((t) => t.files))];
}

function filesAfterKey(step: StepState): string {
  return `files after ${step.key}`;
}

async function markMerged(ctx: RunContext, step: StepState, sha: string | null): Promise<Tick> {
  await ctx.transition(step, 'merged', null, { mergeSha: sha, mergedAt: ctx.deps.now().toISOString(), detail: null });
  return 'progress';
}

async function verify(ctx: RunContext, step: StepState): Promise<Tick> {
  const info = await ctx.repo(step.repo);
  const after = await runCompensations(ctx, step, 'after_revert');
  if (after !== 'done') return after;
  // Read while the PR waited for its checks, else now (findDrift's default).
  const before = ctx.take<FilesBefore>(filesBeforeKey(step))?.catch(() => filesBefore(ctx.deps.port, parseRepo(step.repo), step));
  // What the merge left at the files, when its answer said (GraphQL), else the branch as it is now.
  const atMerge = ctx.take<FilesAfter>(filesAfterKey(step)) ?? undefined;
  const drift = await findDrift(ctx.deps.port, parseRepo(step.repo), info.defaultBranch, step, before, atMerge);
  // Recorded in the wave's ledger entry, with every other step of the wave.
  await ctx.transition(step, 'verified', null, { drift, verifiedAt: ctx.deps.now().toISOString() });
  return 'done';
}

function allowedMethod(preferred: MergeMethod, info: RepoInfo): MergeMethod {
  const allowed: Record<MergeMethod, boolean> = { merge: info.allowMergeCommit, squash: info.allowSquashMerge, rebase: info.allowRebaseMerge };
  if (allowed[preferred]) return preferred;
  return (['squash', 'merge', 'rebase'] as const).find((m) => allowed[m]) ?? preferred;
}

/** The step's revert PR as GitHub has it now. */
async function readPull(ctx: RunContext, step: StepState): Promise<PullInfo> {
  if (!step.pr) throw new Error(`step ${step.key} has no pull request`);
  const pr = await ctx.deps.port.getPull(parseRepo(step.repo), step.pr.number);
  if (!pr) throw new Error(`revert pull request #${step.pr.number} of ${step.repo} disappeared`);
  return pr;
}
