/** Scripted GitHub Actions workflows: `workflow_dispatch` creates a run that completes per the script. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import type { RepoState, WorkflowRunState, WorkflowState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { simpleCommit } from '../objects/commit.ts';
import { workflowRun } from '../objects/workflow.ts';
import { emitWebhook } from '../webhooks/emit.ts';
import { repoKey } from './repo-key.ts';
import { workflow as workflowObject } from '../objects/workflow.ts';

export async function runPayload(ctx: SandboxContext, run: WorkflowRunState): Promise<Record<string, unknown>> {
  const c = await ctx.git(run.repo).getCommit(run.headSha);
  return workflowRun(ctx, run, c ? simpleCommit(c) : null);
}

export async function dispatchWorkflow(ctx: SandboxContext, repo: RepoState, wf: WorkflowState, p: { ref: string; sha: string; actor: string; event?: string }): Promise<WorkflowRunState> {
  const key = repoKey(repo);
  const at = isoSeconds(ctx.now());
  const runNumber = ctx.state.workflowRuns.filter((r) => r.repo === key && r.workflowId === wf.id).length + 1;
  const run: WorkflowRunState = {
    id: nextId(ctx),
    repo: key,
    workflowId: wf.id,
    name: wf.name,
    event: p.event ?? 'workflow_dispatch',
    headBranch: p.ref,
    headSha: p.sha,
    status: 'queued',
    conclusion: null,
    runNumber,
    actor: p.actor,
    createdAt: at,
    updatedAt: at,
    runStartedAt: at,
  };
  ctx.state.workflowRuns.push(run);
  ctx.save();
  const wfObj = workflowObject(ctx, repo, wf);
  emitWebhook(ctx, { event: 'workflow_run', action: 'requested', repo, sender: p.actor, payload: { workflow_run: await runPayload(ctx, run), workflow: wfObj } });
  run.status = 'in_progress';
  ctx.jobs.later(`workflow ${key} ${wf.file}`, wf.delayMs, async () => {
    if (ctx.closing || run.status === 'completed') return; // cancelled meanwhile
    run.status = 'completed';
    run.conclusion = wf.results ? wf.results[Math.min(runNumber, wf.results.length) - 1] : wf.result;
    run.updatedAt = isoSeconds(ctx.now());
    ctx.save();
    emitWebhook(ctx, { event: 'workflow_run', action: 'completed', repo, sender: p.actor, payload: { workflow_run: await runPayload(ctx, run), workflow: wfObj } });
  });
  return run;
}

/** Cancels a queued or running run: it completes as `cancelled` at once (GitHub answers 202 and cancels shortly after). */
export async function cancelRun(ctx: SandboxContext, repo: RepoState, run: WorkflowRunState, actor: string): Promise<void> {
  run.status = 'completed';
  run.conclusion = 'cancelled';
  run.updatedAt = isoSeconds(ctx.now());
  ctx.save();
  const wf = repo.workflows.find((w) => w.id === run.workflowId);
  emitWebhook(ctx, { event: 'workflow_run', action: 'completed', repo, sender: actor, payload: { workflow_run: await runPayload(ctx, run), ...(wf ? { workflow: workflowObject(ctx, repo, wf) } : {}) } });
}
