/** Branches, git refs, and branch protection (classic) + rules. */
import type { SandboxContext } from '../context.ts';
import { actorLogin } from '../auth/access.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import { noContent, ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { commitObject, gitRef } from '../objects/commit.ts';
import { repoApi, repoHtml, enc } from '../objects/urls.ts';
import type { ProtectionState, RepoState } from '../state/model.ts';
import { applyRefUpdates } from '../services/apply-ref-updates.ts';
import { ZERO } from '../services/push-payload.ts';
import { repoKey } from '../services/repo-key.ts';
import { bodyOf, listResult, optBool, repoFor, reqString } from './helpers.ts';

function protectionUrl(ctx: SandboxContext, repo: RepoState, branch: string): string {
  return repoApi(ctx, repo.owner, repo.name, `/branches/${enc(branch)}/protection`);
}

export function statusChecksObject(ctx: SandboxContext, repo: RepoState, branch: string, p: ProtectionState): Record<string, unknown> {
  const url = `${protectionUrl(ctx, repo, branch)}/required_status_checks`;
  return {
    url,
    strict: p.strict,
    contexts: p.requiredChecks,
    checks: p.requiredChecks.map((c) => ({ context: c, app_id: null })),
    contexts_url: `${url}/contexts`,
    enforcement_level: p.enforceAdmins ? 'everyone' : 'non_admins',
  };
}

function protectionObject(ctx: SandboxContext, repo: RepoState, branch: string, p: ProtectionState): Record<string, unknown> {
  const url = protectionUrl(ctx, repo, branch);
  const out: Record<string, unknown> = {
    url,
    required_status_checks: statusChecksObject(ctx, repo, branch, p),
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins },
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: false },
    allow_deletions: { enabled: false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
  };
  if (p.requiredApprovals > 0) {
    out.required_pull_request_reviews = {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: false,
      require_code_owner_reviews: false,
      required_approving_review_count: p.requiredApprovals,
      require_last_push_approval: false,
    };
  }
  return out;
}

function protectionOf(repo: RepoState, branch: string): ProtectionState {
  const p = repo.protection[branch];
  if (!p) throw new HttpError(404, 'Branch not protected');
  return p;
}

async function getBranch(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const branch = req.params.branch;
  const git = ctx.git(repoKey(repo));
  const sha = await git.resolve(`refs/heads/${branch}`);
  if (!sha) throw new HttpError(404, 'Branch not found');
  const c = await git.getCommit(sha);
  if (!c) throw notFound();
  const p = repo.protection[branch];
  return ok({
    name: branch,
    commit: commitObject(ctx, repo, c),
    _links: { self: repoApi(ctx, repo.owner, repo.name, `/branches/${enc(branch)}`), html: repoHtml(ctx, repo.owner, repo.name, `/tree/${enc(branch)}`) },
    protected: !!p,
    protection: p ? { enabled: true, required_status_checks: { enforcement_level: p.enforceAdmins ? 'everyone' : 'non_admins', contexts: p.requiredChecks, checks: p.requiredChecks.map((x) => ({ context: x, app_id: null })) } } : { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: protectionUrl(ctx, repo, branch),
  });
}

async function listBranches(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const refs = await ctx.git(repoKey(repo)).listRefs('refs/heads/');
  const all = [...refs].map(([ref, sha]) => ({ name: ref.slice('refs/heads/'.length), sha })).sort((a, b) => a.name.localeCompare(b.name));
  return listResult(req, all, (b) => ({
    name: b.name,
    commit: { sha: b.sha, url: repoApi(ctx, repo.owner, repo.name, `/commits/${b.sha}`) },
    protected: !!repo.protection[b.name],
  }));
}

async function getRef(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const ref = `refs/${req.params.ref}`;
  const sha = await ctx.git(repoKey(repo)).refValue(ref);
  if (!sha) throw notFound();
  return ok(gitRef(ctx, repo, ref, sha));
}

async function matchingRefs(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const prefix = `refs/${req.params.ref}`;
  const refs = await ctx.git(repoKey(repo)).listRefs(prefix.replace(/[^/]*$/, ''));
  const out = [...refs].filter(([r]) => r.startsWith(prefix)).map(([r, s]) => gitRef(ctx, repo, r, s));
  return ok(out);
}

async function createRef(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const body = bodyOf(req);
  const ref = reqString(body, 'ref', 'Reference');
  const sha = reqString(body, 'sha', 'Reference');
  if (!/^refs\/[^\s]+$/.test(ref) || ref.split('/').length < 3) throw new HttpError(422, 'Reference name must start with \'refs/\' and have at least two slashes.');
  const git = ctx.git(repoKey(repo));
  if (!(await git.getCommit(sha))) throw new HttpError(422, 'Object does not exist');
  if (!(await git.updateRef(ref, sha, null))) throw new HttpError(422, 'Reference already exists');
  await applyRefUpdates(ctx, repo, [{ ref, before: ZERO, after: sha }], actorLogin(ctx, req.actor));
  return ok(gitRef(ctx, repo, ref, sha), 201);
}

async function updateRef(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const body = bodyOf(req);
  const sha = reqString(body, 'sha', 'Reference');
  const force = optBool(body, 'force', 'Reference') ?? false;
  const ref = `refs/${req.params.ref}`;
  const git = ctx.git(repoKey(repo));
  const before = await git.refValue(ref);
  if (!before) throw new HttpError(422, 'Reference does not exist');
  if (!(await git.getCommit(sha))) throw new HttpError(422, 'Object does not exist');
  if (!force && !(await git.isAncestor(before, sha))) throw new HttpError(422, 'Update is not a fast forward');
  if (ref.startsWith('refs/heads/') && repo.protection[ref.slice(11)]) throw new HttpError(422, `Protected branch update failed for ${ref}.`);
  if (!(await git.updateRef(ref, sha, before))) throw new HttpError(422, 'Reference cannot be updated');
  await applyRefUpdates(ctx, repo, [{ ref, before, after: sha }], actorLogin(ctx, req.actor));
  return ok(gitRef(ctx, repo, ref, sha));
}

async function deleteRef(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const ref = `refs/${req.params.ref}`;
  const git = ctx.git(repoKey(repo));
  const before = await git.refValue(ref);
  if (!before) throw new HttpError(422, 'Reference does not exist');
  if (ref.startsWith('refs/heads/') && repo.protection[ref.slice(11)]) throw new HttpError(422, `Protected branch update failed for ${ref}.`);
  await git.deleteRef(ref);
  await applyRefUpdates(ctx, repo, [{ ref, before, after: ZERO }], actorLogin(ctx, req.actor));
  return noContent();
}

function putProtection(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['administration', 'write'], role: 'admin' });
  const body = bodyOf(req);
  for (const f of ['required_status_checks', 'enforce_admins', 'required_pull_request_reviews', 'restrictions']) {
    if (!(f in body)) throw new HttpError(422, `Invalid request.\n\n"${f}" wasn't supplied.`);
  }
  const isObjOrNull = (v: unknown): boolean => v === null || (typeof v === 'object' && !Array.isArray(v));
  for (const f of ['required_status_checks', 'required_pull_request_reviews', 'restrictions']) {
    if (!isObjOrNull(body[f])) throw new HttpError(422, `Invalid request.\n\nFor '${f}', ${JSON.stringify(body[f])} is not an object or null.`);
  }
  if (body.enforce_admins !== null && typeof body.enforce_admins !== 'boolean') {
    throw new HttpError(422, `Invalid request.\n\nFor 'enforce_admins', ${JSON.stringify(body.enforce_admins)} is not a boolean or null.`);
  }
  const rsc = body.required_status_checks as { strict?: boolean; contexts?: string[]; checks?: Array<{ context: string }> } | null;
  const reviews = body.required_pull_request_reviews as { required_approving_review_count?: number } | null;
  const checks = rsc ? [...new Set([...(rsc.contexts ?? []), ...(rsc.checks ?? []).map((c) => c.context)])] : [];
  const p: ProtectionState = {
    requiredChecks: checks,
    strict: rsc?.strict ?? false,
    requiredApprovals: reviews ? (reviews.required_approving_review_count ?? 1) : 0,
    enforceAdmins: body.enforce_admins === true,
  };
  repo.protection[req.params.branch] = p;
  ctx.save();
  return ok(protectionObject(ctx, repo, req.params.branch, p));
}

export const branchRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/branches', handler: listBranches },
  { method: 'GET', pattern: '/repos/:owner/:repo/branches/*branch/protection/required_status_checks', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['administration', 'read'] });
    return ok(statusChecksObject(ctx, repo, req.params.branch, protectionOf(repo, req.params.branch)));
  } },
  { method: 'GET', pattern: '/repos/:owner/:repo/branches/*branch/protection', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['administration', 'read'] });
    return ok(protectionObject(ctx, repo, req.params.branch, protectionOf(repo, req.params.branch)));
  } },
  { method: 'PUT', pattern: '/repos/:owner/:repo/branches/*branch/protection', handler: putProtection },
  { method: 'GET', pattern: '/repos/:owner/:repo/branches/*branch', handler: getBranch },
  { method: 'GET', pattern: '/repos/:owner/:repo/rules/branches/*branch', handler: (ctx, req) => {
    repoFor(ctx, req, { app: ['metadata', 'read'] });
    return listResult(req, [] as unknown[], (x) => x);
  } },
  { method: 'GET', pattern: '/repos/:owner/:repo/git/ref/*ref', handler: getRef },
  { method: 'GET', pattern: '/repos/:owner/:repo/git/matching-refs/*ref', handler: matchingRefs },
  { method: 'POST', pattern: '/repos/:owner/:repo/git/refs', handler: createRef },
  { method: 'PATCH', pattern: '/repos/:owner/:repo/git/refs/*ref', handler: updateRef },
  { method: 'DELETE', pattern: '/repos/:owner/:repo/git/refs/*ref', handler: deleteRef },
];
