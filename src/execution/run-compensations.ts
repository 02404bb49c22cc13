/**
 * Compensating actions: workflow dispatches that undo what git cannot (feature flags, migrations).
 *
 * A dispatch is looked for before it is made (a run of that workflow created since the attempt
 * began, not one of an earlier attempt), so a resumed run adopts the earlier dispatch instead of
 * repeating it. A failed or timed-out attempt is retried with the contract's back-off; when the
 * retries are used up, `on_failure` decides: `continue` goes on, `escalate` stops the rollback at
 * this wave for a human, `abort` ends the rollback.
 */
import { basename } from 'node:path/posix';
import type { WorkflowRunInfo } from '../github/port.ts';
import { mdCode, mdText } from '../shared/markdown.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { formatMs } from './render-summary.ts';
import type { RunContext } from './run-context.ts';
import type { CompensationRef, StepState } from './state.ts';

export type CompensationProgress = 'done' | 'waiting' | 'stopped';

export async function runCompensations(ctx: RunContext, step: StepState, when: CompensationRef['when']): Promise<CompensationProgress> {
  for (const comp of step.compensations.filter((c) => c.when === when)) {
    const progress = await advanceCompensation(ctx, step, comp);
    if (progress !== 'done') return progress;
  }
  return 'done';
}

/** GitHub's run timestamps are whole seconds: an attempt's runs are those created at or after its second. */
export function wholeSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Delay before retry number `retry` (1-based): the back-off doubles each time, up to the maximum. */
export function retryDelayMs(comp: Pick<CompensationRef, 'backoffMs' | 'maxBackoffMs'>, retry: number): number {
  return Math.min(comp.backoffMs * 2 ** Math.max(0, retry - 1), comp.maxBackoffMs);
}

async function advanceCompensation(ctx: RunContext, step: StepState, comp: CompensationRef): Promise<CompensationProgress> {
  if (comp.state === 'succeeded' || comp.state === 'skipped') return 'done';
  if (comp.state === 'failed') return comp.onFailure === 'continue' ? 'done' : 'stopped';
  const now = ctx.deps.now();
  if (comp.state === 'pending' && comp.notBefore && now.getTime() < Date.parse(comp.notBefore)) return 'waiting';
  const { run, recent } = await findAttemptRun(ctx, step, comp);
  if (comp.state === 'pending') {
    const dispatchedAt = wholeSeconds(now);
    if (!run) {
      // GitHub takes the workflow's file name (not its path) as workflow_id; an empty ref is the default branch.
      const gitRef = comp.ref || (await ctx.repo(step.repo)).defaultBranch;
      await ctx.deps.port.dispatchWorkflow(parseRepo(step.repo), basename(comp.workflow), gitRef, { ...comp.inputs, unwind_idempotency_key: comp.idempotencyKey });
    }
    // Runs that existed before this dispatch are never taken for it, whatever the clocks say.
    const pastRuns = run ? comp.pastRuns : [...new Set([...comp.pastRuns, ...recent])];
    const attempt = comp.attempt + 1;
    await ctx.record(
      {
        action: 'compensation',
        actor: ctx.botLogin,
        outcome: 'dispatched',
        text: `Dispatched compensation ${mdCode(comp.id)} (${mdCode(comp.workflow)} on ${comp.ref ? mdCode(comp.ref) : 'the default branch'}) in ${mdText(step.repo)}${attempt > 1 ? `, attempt ${attempt} of ${comp.retries + 1}` : ''}.`,
        details: { step: step.key, compensation: comp.id, idempotency_key: comp.idempotencyKey, attempt },
      },
      () => Object.assign(comp, { state: 'dispatched', dispatchedAt, runId: run?.id ?? null, attempt, notBefore: null, pastRuns }),
    );
    return 'waiting';
  }
  if (!run || run.status !== 'completed') {
    const started = Date.parse(comp.dispatchedAt ?? now.toISOString());
    if (now.getTime() - started <= comp.timeoutMs) return 'waiting';
    // A late finish must not overlap the retry: the timed-out run is cancelled first.
    if (run) await ctx.deps.port.cancelWorkflowRun(parseRepo(step.repo), run.id);
    return failAttempt(ctx, step, comp, run ?? null, `did not finish within ${formatMs(comp.timeoutMs)} (cancelled)`);
  }
  if (run.conclusion === 'success') {
    await ctx.record(
      { action: 'compensation', actor: ctx.botLogin, outcome: 'succeeded', text: `Compensation ${mdCode(comp.id)} succeeded: ${run.htmlUrl}`, details: { step: step.key, compensation: comp.id, run: run.id, attempt: comp.attempt } },
      () => Object.assign(comp, { state: 'succeeded', runId: run.id }),
    );
    return 'done';
  }
  return failAttempt(ctx, step, comp, run, `failed (${run.conclusion ?? 'no conclusion'}): ${run.htmlUrl}`);
}

/**
 * The current attempt's run. Once dispatched: the run already adopted, else the oldest run of the
 * workflow that was not seen before the dispatch (nor is an earlier attempt's), allowing
 * CLOCK_SKEW_MS between Unwind's clock and GitHub's. Before dispatching (a resumed run looking for a
 * dispatch it made before a crash): only a run stamped since the attempt began, with no slack, since
 * taking somebody else's run would be worse than dispatching again (the workflow gets the
 * idempotency key). `recent` lists the runs inside the slack window, to be excluded after a dispatch.
 */
async function findAttemptRun(ctx: RunContext, step: StepState, comp: CompensationRef): Promise<{ run: WorkflowRunInfo | undefined; recent: number[] }> {
  const began = Date.parse(comp.dispatchedAt ?? comp.notBefore ?? step.startedAt ?? ctx.state.createdAt);
  const strict = wholeSeconds(new Date(began)).slice(0, 19);
  const slack = wholeSeconds(new Date(began - CLOCK_SKEW_MS)).slice(0, 19);
  const runs = await ctx.deps.port.listWorkflowRuns(parseRepo(step.repo), { workflow: comp.workflow, event: 'workflow_dispatch' });
  const recent = runs.filter((r) => r.createdAt.slice(0, 19) >= slack);
  const adopted = comp.runId === null ? undefined : runs.find((r) => r.id === comp.runId);
  const candidates = recent.filter((r) => !comp.pastRuns.includes(r.id) && (comp.state === 'dispatched' || r.createdAt.slice(0, 19) >= strict));
  const run = adopted ?? candidates.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id)[0];
  return { run, recent: recent.map((r) => r.id) };
}

/** Slack between Unwind's clock and GitHub's when matching a dispatch to its run. */
const CLOCK_SKEW_MS = 60_000;

async function failAttempt(ctx: RunContext, step: StepState, comp: CompensationRef, run: WorkflowRunInfo | null, why: string): Promise<CompensationProgress> {
  const pastRuns = run ? [...comp.pastRuns, run.id] : comp.pastRuns;
  const details = { step: step.key, compensation: comp.id, run: run?.id ?? null, attempt: comp.attempt };
  if (comp.attempt <= comp.retries) {
    const delay = retryDelayMs(comp, comp.attempt);
    const notBefore = new Date(ctx.deps.now().getTime() + delay).toISOString();
    await ctx.record(
      { action: 'compensation', actor: ctx.botLogin, outcome: 'retrying', text: `Compensation ${mdCode(comp.id)} in ${mdText(step.repo)} ${why} (attempt ${comp.attempt} of ${comp.retries + 1}); retrying in ${formatMs(delay)}.`, details: { ...details, retry_at: notBefore } },
      () => Object.assign(comp, { state: 'pending', runId: null, dispatchedAt: null, notBefore, pastRuns }),
    );
    return 'waiting';
  }
  await ctx.record(
    { action: 'compensation', actor: ctx.botLogin, outcome: 'failed', text: `Compensation ${mdCode(comp.id)} in ${mdText(step.repo)} ${why} (attempt ${comp.attempt} of ${comp.retries + 1}). On failure: ${comp.onFailure}.`, details: { ...details, on_failure: comp.onFailure } },
    () => Object.assign(comp, { state: 'failed', runId: run?.id ?? null, pastRuns }),
  );
  if (comp.onFailure === 'continue') return 'done';
  await ctx.transition(step, 'compensation_failed', null, { detail: `compensation ${comp.id} failed; on_failure: ${comp.onFailure}` });
  return 'stopped';
}
