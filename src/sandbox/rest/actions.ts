/** GitHub Actions: workflows, workflow_dispatch, workflow runs. */
import type { SandboxContext } from '../context.ts';
import { actorLogin } from '../auth/access.ts';
import { HttpError, notFound, validationFailed } from '../http/http-error.ts';
import { noContent, ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { workflow as workflowObject } from '../objects/workflow.ts';
import type { RepoState, WorkflowRunState, WorkflowState } from '../state/model.ts';
import { repoKey } from '../services/repo-key.ts';
import { cancelRun, dispatchWorkflow, runPayload } from '../services/workflows.ts';
import { bodyOf, envelopeResult, intParam, repoFor, reqString } from './helpers.ts';

function findWorkflow(repo: RepoState, id: string): WorkflowState {
  const wf = repo.workflows.find((w) => String(w.id) === id || w.file === id || `.github/workflows/${w.file}` === id);
  if (!wf) throw notFound();
  return wf;
}

function findRun(ctx: SandboxContext, repo: RepoState, id: number): WorkflowRunState {
  const run = ctx.state.workflowRuns.find((r) => r.repo === repoKey(repo) && r.id === id);
  if (!run) throw notFound();
  return run;
}

async function dispatch(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['actions', 'write'], role: 'write' });
  const wf = findWorkflow(repo, req.params.workflow_id);
  const body = bodyOf(req);
  const ref = reqString(body, 'ref', 'WorkflowDispatch');
  const inputs = body.inputs;
  if (inputs !== undefined && (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs))) throw validationFailed([{ resource: 'WorkflowDispatch', field: 'inputs', code: 'invalid' }]);
  const branch = ref.replace(/^refs\/heads\//, '');
  const sha = await ctx.git(repoKey(repo)).resolve(ref.startsWith('refs/') ? ref : `refs/heads/${ref}`) ?? await ctx.git(repoKey(repo)).resolve(ref);
  if (!sha) throw new HttpError(422, `No ref found for: ${ref}`);
  await dispatchWorkflow(ctx, repo, wf, { ref: branch, sha, actor: actorLogin(ctx, req.actor) });
  return noContent();
}

async function listRuns(ctx: SandboxContext, req: RestRequest, wf?: WorkflowState) {
  const repo = repoFor(ctx, req, { app: ['actions', 'read'] });
  const key = repoKey(repo);
  let runs: WorkflowRunState[] = ctx.state.workflowRuns.filter((r) => r.repo === key && (!wf || r.workflowId === wf.id));
  const q = req.query;
  if (q.get('head_sha')) runs = runs.filter((r) => r.headSha === q.get('head_sha'));
  if (q.get('branch')) runs = runs.filter((r) => r.headBranch === q.get('branch'));
  if (q.get('event')) runs = runs.filter((r) => r.event === q.get('event'));
  const status = q.get('status');
  if (status) runs = runs.filter((r) => r.status === status || r.conclusion === status);
  if (q.get('actor')) runs = runs.filter((r) => r.actor === q.get('actor'));
  runs = [...runs].sort((a, b) => b.id - a.id);
  const objs = [];
  for (const r of runs) objs.push(await runPayload(ctx, r));
  return envelopeResult(req, 'workflow_runs', objs, (x) => x);
}

export const actionRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/actions/workflows', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['actions', 'read'] });
    return envelopeResult(req, 'workflows', repo.workflows, (w) => workflowObject(ctx, repo, w));
  } },
  { method: 'GET', pattern: '/repos/:owner/:repo/actions/workflows/:workflow_id', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['actions', 'read'] });
    return ok(workflowObject(ctx, repo, findWorkflow(repo, req.params.workflow_id)));
  } },
  { method: 'POST', pattern: '/repos/:owner/:repo/actions/workflows/:workflow_id/dispatches', handler: dispatch },
  { method: 'GET', pattern: '/repos/:owner/:repo/actions/workflows/:workflow_id/runs', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['actions', 'read'] });
    return listRuns(ctx, req, findWorkflow(repo, req.params.workflow_id));
  } },
  { method: 'GET', pattern: '/repos/:owner/:repo/actions/runs', handler: (ctx, req) => listRuns(ctx, req) },
  { method: 'POST', pattern: '/repos/:owner/:repo/actions/runs/:run_id/cancel', handler: async (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['actions', 'write'] });
    const run = findRun(ctx, repo, intParam(req, 'run_id'));
    if (run.status === 'completed') throw new HttpError(409, 'Cannot cancel a workflow run that is completed.');
    await cancelRun(ctx, repo, run, actorLogin(ctx, req.actor));
    return ok({}, 202);
  } },
  { method: 'GET', pattern: '/repos/:owner/:repo/actions/runs/:run_id', handler: async (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['actions', 'read'] });
    const run = findRun(ctx, repo, intParam(req, 'run_id'));
    return ok(await runPayload(ctx, run));
  } },
];
