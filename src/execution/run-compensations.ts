/**
 * Compensating actions: workflow dispatches that undo what git cannot (feature flags, migrations).
 * A dispatch is looked for before it is made (a run of that workflow created since the step
 * started), so a resumed run adopts the earlier dispatch instead of repeating it.
 */
import { basename } from 'node:path/posix';
import { parseRepo } from '../shared/repo-name.ts';
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

async function advanceCompensation(ctx: RunContext, step: StepState, comp: CompensationRef): Promise<CompensationProgress> {
  if (comp.state === 'succeeded' || comp.state === 'skipped') return 'done';
  if (comp.state === 'failed') return comp.onFailure === 'continue' ? 'done' : 'stopped';
  const ref = parseRepo(step.repo);
  const port = ctx.deps.port;
  const since = comp.dispatchedAt ?? step.startedAt ?? ctx.state.createdAt;
  const runs = (await port.listWorkflowRuns(ref, { workflow: comp.workflow, event: 'workflow_dispatch' })).filter((r) => r.createdAt >= since.slice(0, 19));
  const run = runs.sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];
  if (comp.state === 'pending') {
    if (!run) {
      // GitHub takes the workflow's file name (not its path) as workflow_id; an empty ref is the default branch.
      const gitRef = comp.ref || (await ctx.repo(step.repo)).defaultBranch;
      await port.dispatchWorkflow(ref, basename(comp.workflow), gitRef, { ...comp.inputs, unwind_idempotency_key: comp.idempotencyKey });
    }
    await ctx.record(
      { action: 'compensation', actor: ctx.botLogin, outcome: 'dispatched', text: `Dispatched compensation \`${comp.id}\` (${comp.workflow}@${comp.ref}) in ${step.repo}.`, details: { step: step.key, compensation: comp.id, idempotency_key: comp.idempotencyKey } },
      () => Object.assign(comp, { state: 'dispatched', dispatchedAt: run?.createdAt ?? ctx.deps.now().toISOString(), runId: run?.id ?? null }),
    );
    return 'waiting';
  }
  if (!run || run.status !== 'completed') return 'waiting';
  if (run.conclusion === 'success') {
    await ctx.record({ action: 'compensation', actor: ctx.botLogin, outcome: 'succeeded', text: `Compensation \`${comp.id}\` succeeded: ${run.htmlUrl}`, details: { step: step.key, compensation: comp.id, run: run.id } }, () => Object.assign(comp, { state: 'succeeded', runId: run.id }));
    return 'done';
  }
  await ctx.record({ action: 'compensation', actor: ctx.botLogin, outcome: 'failed', text: `Compensation \`${comp.id}\` failed (${run.conclusion}): ${run.htmlUrl}. On failure: ${comp.onFailure}.`, details: { step: step.key, compensation: comp.id, run: run.id } }, () => Object.assign(comp, { state: 'failed', runId: run.id }));
  if (comp.onFailure === 'continue') return 'done';
  await ctx.transition(step, 'compensation_failed', { text: `Step stopped: compensation \`${comp.id}\` failed.`, outcome: 'compensation_failed' }, { detail: `compensation ${comp.id} failed` });
  return 'stopped';
}
