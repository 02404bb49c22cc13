/** Statuses, combined status, check runs and check suites. */
import type { SandboxContext } from '../context.ts';
import { actorLogin } from '../auth/access.ts';
import { HttpError, notFound, validationFailed } from '../http/http-error.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { checkAnnotation, checkRun, simpleCommitStatus, status as statusObject } from '../objects/checks.ts';
import { repository } from '../objects/repository.ts';
import { repoApi } from '../objects/urls.ts';
import type { CheckAnnotationState, CheckRunState, StatusState } from '../state/model.ts';
import { createCheckRun, suitePayload, updateCheckRun, type CheckRunInput } from '../services/check-runs.ts';
import { repoKey } from '../services/repo-key.ts';
import { createStatus } from '../services/statuses.ts';
import { bodyOf, envelopeResult, intParam, listResult, optString, repoFor, reqString } from './helpers.ts';

async function resolveRef(ctx: SandboxContext, key: string, ref: string): Promise<string> {
  const sha = await ctx.git(key).resolve(ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
  return sha;
}

function latestStatuses(all: StatusState[]): StatusState[] {
  const byContext = new Map<string, StatusState>();
  for (const s of all) byContext.set(s.context, s);
  return [...byContext.values()].sort((a, b) => b.id - a.id);
}

async function postStatus(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['statuses', 'write'], role: 'write' });
  const body = bodyOf(req);
  const state = reqString(body, 'state', 'Status');
  if (!['error', 'failure', 'pending', 'success'].includes(state)) throw validationFailed([{ resource: 'Status', field: 'state', code: 'custom', message: `state is not included in the list` }]);
  const sha = await resolveRef(ctx, repoKey(repo), req.params.sha);
  const s = await createStatus(ctx, repo, actorLogin(ctx, req.actor), {
    sha,
    state: state as StatusState['state'],
    context: optString(body, 'context', 'Status') ?? 'default',
    description: optString(body, 'description', 'Status') ?? null,
    targetUrl: optString(body, 'target_url', 'Status') ?? null,
  });
  return ok(statusObject(ctx, s), 201);
}

async function combinedStatus(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['statuses', 'read'] });
  const key = repoKey(repo);
  const sha = await resolveRef(ctx, key, req.params.ref);
  const latest = latestStatuses(ctx.state.statuses.filter((s) => s.repo === key && s.sha === sha));
  const state =
    latest.length === 0 ? 'pending'
    : latest.some((s) => s.state === 'failure' || s.state === 'error') ? 'failure'
    : latest.every((s) => s.state === 'success') ? 'success'
    : 'pending';
  return ok({
    state,
    statuses: latest.map((s) => simpleCommitStatus(ctx, s)),
    sha,
    total_count: latest.length,
    repository: repository(ctx, repo),
    commit_url: repoApi(ctx, repo.owner, repo.name, `/commits/${sha}`),
    url: repoApi(ctx, repo.owner, repo.name, `/commits/${sha}/status`),
  });
}

async function listStatuses(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['statuses', 'read'] });
  const key = repoKey(repo);
  const sha = await resolveRef(ctx, key, req.params.ref);
  const all = ctx.state.statuses.filter((s) => s.repo === key && s.sha === sha).sort((a, b) => b.id - a.id);
  return listResult(req, all, (s) => statusObject(ctx, s));
}

async function listCheckRuns(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['checks', 'read'] });
  const key = repoKey(repo);
  const sha = await resolveRef(ctx, key, req.params.ref);
  let runs = ctx.state.checkRuns.filter((r) => r.repo === key && r.headSha === sha);
  const name = req.query.get('check_name');
  const status = req.query.get('status');
  const appId = req.query.get('app_id');
  if (name) runs = runs.filter((r) => r.name === name);
  if (status) runs = runs.filter((r) => r.status === status);
  if (appId) runs = runs.filter((r) => String(r.appId) === appId);
  if ((req.query.get('filter') ?? 'latest') === 'latest') {
    const latest = new Map<string, CheckRunState>();
    for (const r of runs) latest.set(`${r.appId}:${r.name}`, r);
    runs = [...latest.values()];
  }
  runs = [...runs].sort((a, b) => b.id - a.id);
  return envelopeResult(req, 'check_runs', runs, (r) => checkRun(ctx, r));
}

async function listCheckSuites(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['checks', 'read'] });
  const key = repoKey(repo);
  const sha = await resolveRef(ctx, key, req.params.ref);
  let suites = ctx.state.checkSuites.filter((s) => s.repo === key && s.headSha === sha);
  const appId = req.query.get('app_id');
  const name = req.query.get('check_name');
  if (appId) suites = suites.filter((s) => String(s.appId) === appId);
  if (name) suites = suites.filter((s) => ctx.state.checkRuns.some((r) => r.suiteId === s.id && r.name === name));
  const objs = [];
  for (const s of suites) objs.push(await suitePayload(ctx, s));
  return envelopeResult(req, 'check_suites', objs, (x) => x);
}

function checkRunInput(body: Record<string, unknown>): Partial<CheckRunInput> {
  const status = optString(body, 'status', 'CheckRun');
  if (status !== undefined && !['queued', 'in_progress', 'completed'].includes(status)) throw validationFailed([{ resource: 'CheckRun', field: 'status', code: 'invalid' }]);
  const conclusion = optString(body, 'conclusion', 'CheckRun');
  if (status === 'completed' && !conclusion) throw validationFailed([{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }], 'Invalid request.\n\nNo subschema in "anyOf" matched.\n"conclusion" wasn\'t supplied.');
  const output = body.output as { title?: string; summary?: string; text?: string; annotations?: unknown } | undefined;
  return {
    annotations: output && typeof output === 'object' ? readAnnotations(output.annotations) : undefined,
    name: optString(body, 'name', 'CheckRun'),
    status: status as CheckRunInput['status'],
    conclusion: conclusion ?? undefined,
    externalId: optString(body, 'external_id', 'CheckRun'),
    detailsUrl: optString(body, 'details_url', 'CheckRun'),
    startedAt: optString(body, 'started_at', 'CheckRun'),
    completedAt: optString(body, 'completed_at', 'CheckRun'),
    output: output && typeof output === 'object' ? output : undefined,
  };
}

const ANNOTATION_LEVELS = ['notice', 'warning', 'failure'] as const;
/** GitHub takes at most 50 annotations per request (more are added by further updates). */
const MAX_ANNOTATIONS = 50;

/** `output.annotations` as GitHub checks them: path, lines, level and message are required. */
function readAnnotations(raw: unknown): CheckAnnotationState[] | undefined {
  if (raw === undefined) return undefined;
  const bad = (field: string) => validationFailed([{ resource: 'CheckRun', field: `output.annotations.${field}`, code: 'invalid' }]);
  if (!Array.isArray(raw)) throw bad('');
  if (raw.length > MAX_ANNOTATIONS) throw validationFailed([{ resource: 'CheckRun', field: 'output.annotations', code: 'custom', message: `Only ${MAX_ANNOTATIONS} annotations are allowed per request` }]);
  return raw.map((a: Record<string, unknown>) => {
    if (typeof a !== 'object' || a === null) throw bad('');
    if (typeof a.path !== 'string' || a.path === '') throw bad('path');
    if (!Number.isInteger(a.start_line) || (a.start_line as number) < 1) throw bad('start_line');
    if (!Number.isInteger(a.end_line) || (a.end_line as number) < (a.start_line as number)) throw bad('end_line');
    if (!ANNOTATION_LEVELS.includes(a.annotation_level as (typeof ANNOTATION_LEVELS)[number])) throw bad('annotation_level');
    if (typeof a.message !== 'string' || a.message === '') throw bad('message');
    const col = (v: unknown) => (Number.isInteger(v) ? (v as number) : null);
    return {
      path: a.path,
      startLine: a.start_line as number,
      endLine: a.end_line as number,
      startColumn: col(a.start_column),
      endColumn: col(a.end_column),
      level: a.annotation_level as CheckAnnotationState['level'],
      title: typeof a.title === 'string' ? a.title : null,
      message: a.message,
      rawDetails: typeof a.raw_details === 'string' ? a.raw_details : null,
    };
  });
}

function requireApp(req: RestRequest): void {
  if (req.actor.kind !== 'installation') throw new HttpError(403, 'You must authenticate via a GitHub App.');
}

async function postCheckRun(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['checks', 'write'], role: 'write' });
  requireApp(req);
  const body = bodyOf(req);
  const name = reqString(body, 'name', 'CheckRun');
  const headSha = reqString(body, 'head_sha', 'CheckRun');
  const sha = await ctx.git(repoKey(repo)).resolve(headSha);
  if (!sha || sha !== headSha) throw validationFailed([{ resource: 'CheckRun', field: 'head_sha', code: 'invalid' }], 'No commit found for SHA: ' + headSha);
  const run = await createCheckRun(ctx, repo, ctx.app.id, actorLogin(ctx, req.actor), { ...checkRunInput(body), name, headSha: sha });
  return ok(checkRun(ctx, run), 201);
}

function findRun(ctx: SandboxContext, key: string, id: number): CheckRunState {
  const r = ctx.state.checkRuns.find((x) => x.repo === key && x.id === id);
  if (!r) throw notFound();
  return r;
}

async function patchCheckRun(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['checks', 'write'], role: 'write' });
  requireApp(req);
  const run = findRun(ctx, repoKey(repo), intParam(req, 'check_run_id'));
  if (run.appId !== ctx.app.id) throw new HttpError(403, 'Invalid app_id `' + ctx.app.id + '` - check run can only be modified by the GitHub App that created it.');
  await updateCheckRun(ctx, repo, run, actorLogin(ctx, req.actor), checkRunInput(bodyOf(req)));
  return ok(checkRun(ctx, run));
}

export const checkRoutes: RouteDef[] = [
  { method: 'POST', pattern: '/repos/:owner/:repo/statuses/:sha', handler: postStatus },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/*ref/status', handler: combinedStatus },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/*ref/statuses', handler: listStatuses },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/*ref/check-runs', handler: listCheckRuns },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/*ref/check-suites', handler: listCheckSuites },
  { method: 'POST', pattern: '/repos/:owner/:repo/check-runs', handler: postCheckRun },
  { method: 'GET', pattern: '/repos/:owner/:repo/check-runs/:check_run_id', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['checks', 'read'] });
    return ok(checkRun(ctx, findRun(ctx, repoKey(repo), intParam(req, 'check_run_id'))));
  } },
  { method: 'PATCH', pattern: '/repos/:owner/:repo/check-runs/:check_run_id', handler: patchCheckRun },
  { method: 'GET', pattern: '/repos/:owner/:repo/check-runs/:check_run_id/annotations', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['checks', 'read'] });
    const run = findRun(ctx, repoKey(repo), intParam(req, 'check_run_id'));
    return listResult(req, run.annotations ?? [], (a) => checkAnnotation(ctx, repo, run, a));
  } },
  { method: 'GET', pattern: '/repos/:owner/:repo/check-suites/:check_suite_id', handler: async (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['checks', 'read'] });
    const id = intParam(req, 'check_suite_id');
    const s = ctx.state.checkSuites.find((x) => x.repo === repoKey(repo) && x.id === id);
    if (!s) throw notFound();
    return ok(await suitePayload(ctx, s));
  } },
];
