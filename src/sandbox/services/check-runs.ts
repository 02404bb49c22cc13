/** Check runs and suites: create/update runs, complete suites, emit check_run / check_suite webhooks. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import type { CheckAnnotationState, CheckRunState, CheckSuiteState, RepoState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { checkRun, checkSuite, checkSuiteUrl } from '../objects/checks.ts';
import { simpleCommit } from '../objects/commit.ts';
import { emitWebhook } from '../webhooks/emit.ts';
import { repoKey } from './repo-key.ts';
import { nodeId } from '../objects/urls.ts';

export interface CheckRunInput {
  name: string;
  headSha: string;
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: string | null;
  externalId?: string | null;
  detailsUrl?: string | null;
  startedAt?: string | null;
  completedAt?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null };
  /** `output.annotations`, already checked; appended to the run's. */
  annotations?: CheckAnnotationState[];
}

/** `pushed`: the branch whose push made the commit's checks start (else the first branch at the commit). */
async function suiteFor(ctx: SandboxContext, repo: RepoState, sha: string, appId: number, pushed?: string): Promise<CheckSuiteState> {
  const key = repoKey(repo);
  const existing = ctx.state.checkSuites.find((s) => s.repo === key && s.headSha === sha && s.appId === appId);
  if (existing) return existing;
  const at = isoSeconds(ctx.now());
  let headBranch: string | null = pushed ?? null;
  if (headBranch === null) {
    const branches = await ctx.git(key).listRefs('refs/heads/');
    for (const [ref, tip] of branches) if (tip === sha) headBranch = headBranch ?? ref.slice('refs/heads/'.length);
  }
  const suite: CheckSuiteState = {
    id: nextId(ctx),
    repo: key,
    headSha: sha,
    headBranch,
    appId,
    status: 'queued',
    conclusion: null,
    before: null,
    after: sha,
    createdAt: at,
    updatedAt: at,
  };
  ctx.state.checkSuites.push(suite);
  return suite;
}

export async function suitePayload(ctx: SandboxContext, suite: CheckSuiteState): Promise<Record<string, unknown>> {
  const c = await ctx.git(suite.repo).getCommit(suite.headSha);
  const head = c ? simpleCommit(c) : { id: suite.headSha, tree_id: suite.headSha, message: '', timestamp: suite.createdAt, author: null, committer: null };
  return checkSuite(ctx, suite, head);
}

function suiteConclusion(runs: CheckRunState[]): string {
  const order = ['action_required', 'cancelled', 'timed_out', 'failure', 'neutral', 'skipped', 'success'];
  for (const c of order) if (runs.some((r) => r.conclusion === c)) return c === 'skipped' || c === 'neutral' ? (runs.every((r) => r.conclusion === c) ? c : 'success') : c;
  return 'success';
}

async function afterRunChange(ctx: SandboxContext, repo: RepoState, run: CheckRunState, sender: string, action: 'created' | 'completed' | null): Promise<void> {
  const suite = ctx.state.checkSuites.find((s) => s.id === run.suiteId);
  if (!suite) return;
  const all = ctx.state.checkRuns.filter((r) => r.suiteId === suite.id);
  const latest = new Map<string, CheckRunState>();
  for (const r of all) latest.set(r.name, r);
  const runs = [...latest.values()];
  const wasCompleted = suite.status === 'completed';
  const allDone = runs.every((r) => r.status === 'completed');
  suite.updatedAt = isoSeconds(ctx.now());
  suite.status = allDone ? 'completed' : runs.some((r) => r.status === 'in_progress') ? 'in_progress' : 'queued';
  suite.conclusion = allDone ? suiteConclusion(runs) : null;
  ctx.save();
  if (action) emitWebhook(ctx, { event: 'check_run', action, repo, sender, payload: { check_run: checkRunWebhook(ctx, run, suite) } });
  if (allDone && !wasCompleted) {
    emitWebhook(ctx, { event: 'check_suite', action: 'completed', repo, sender, payload: { check_suite: await suitePayload(ctx, suite) } });
  }
}

export async function createCheckRun(ctx: SandboxContext, repo: RepoState, appId: number, sender: string, input: CheckRunInput, pushed?: string): Promise<CheckRunState> {
  const suite = await suiteFor(ctx, repo, input.headSha, appId, pushed);
  const at = isoSeconds(ctx.now());
  const status = input.conclusion ? 'completed' : (input.status ?? 'queued');
  const run: CheckRunState = {
    id: nextId(ctx),
    suiteId: suite.id,
    repo: repoKey(repo),
    headSha: input.headSha,
    name: input.name,
    appId,
    status,
    conclusion: status === 'completed' ? (input.conclusion ?? 'success') : null,
    startedAt: input.startedAt ?? at,
    completedAt: status === 'completed' ? (input.completedAt ?? at) : null,
    externalId: input.externalId ?? null,
    detailsUrl: input.detailsUrl ?? null,
    output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null, text: input.output?.text ?? null },
    annotations: [...(input.annotations ?? [])],
  };
  ctx.state.checkRuns.push(run);
  await afterRunChange(ctx, repo, run, sender, 'created');
  if (run.status === 'completed') await afterRunChange(ctx, repo, run, sender, 'completed');
  return run;
}

export async function updateCheckRun(ctx: SandboxContext, repo: RepoState, run: CheckRunState, sender: string, input: Partial<CheckRunInput>): Promise<CheckRunState> {
  const wasCompleted = run.status === 'completed';
  if (input.name !== undefined) run.name = input.name;
  if (input.externalId !== undefined) run.externalId = input.externalId;
  if (input.detailsUrl !== undefined) run.detailsUrl = input.detailsUrl;
  if (input.startedAt !== undefined) run.startedAt = input.startedAt;
  if (input.output) run.output = { title: input.output.title ?? run.output.title, summary: input.output.summary ?? run.output.summary, text: input.output.text ?? run.output.text };
  if (input.annotations?.length) run.annotations = [...(run.annotations ?? []), ...input.annotations];
  if (input.conclusion) {
    run.status = 'completed';
    run.conclusion = input.conclusion;
  } else if (input.status) {
    run.status = input.status;
    if (input.status === 'completed') run.conclusion = run.conclusion ?? 'success';
  }
  if (run.status === 'completed' && !run.completedAt) run.completedAt = input.completedAt ?? isoSeconds(ctx.now());
  ctx.save();
  await afterRunChange(ctx, repo, run, sender, run.status === 'completed' && !wasCompleted ? 'completed' : null);
  return run;
}

/** The webhook's check_run carries more of its suite than the REST object does (GitHub's check_run event). */
function checkRunWebhook(ctx: SandboxContext, run: CheckRunState, suite: CheckSuiteState): Record<string, unknown> {
  const rest = checkRun(ctx, run);
  return {
    ...rest,
    check_suite: {
      id: suite.id,
      node_id: nodeId('CS_', suite.id),
      head_branch: suite.headBranch,
      head_sha: suite.headSha,
      status: suite.status,
      conclusion: suite.conclusion,
      url: checkSuiteUrl(ctx, suite),
      before: suite.before,
      after: suite.after,
      pull_requests: rest.pull_requests,
      app: rest.app,
      created_at: suite.createdAt,
      updated_at: suite.updatedAt,
    },
  };
}
