/** GitHub App endpoints (JWT): the app, installations, installation access tokens. */
import type { SandboxContext } from '../context.ts';
import { installationFor } from '../auth/access.ts';
import { issueInstallationToken } from '../auth/issue-token.ts';
import { levelAtLeast, findRepo } from '../auth/access.ts';
import { HttpError, notFound, validationFailed } from '../http/http-error.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { installation, integration } from '../objects/integration.ts';
import { repository } from '../objects/repository.ts';
import type { InstallationState } from '../state/model.ts';
import type { AppPermissionLevel } from '../types.ts';
import { bodyOf, listResult } from './helpers.ts';

function installationById(ctx: SandboxContext, raw: string): InstallationState {
  const inst = /^\d+$/.test(raw) ? ctx.state.installations.find((i) => i.id === Number(raw)) : undefined;
  if (!inst) throw notFound();
  return inst;
}

function accessTokens(ctx: SandboxContext, req: RestRequest) {
  const inst = installationById(ctx, req.params.installation_id);
  const body = bodyOf(req);
  const all = Object.values(ctx.state.repos).filter(
    (r) => r.owner === inst.account && (inst.repositorySelection === 'all' || inst.repositories.includes(r.name)),
  );
  let repos: string[] | null = null;
  const names = body.repositories;
  const ids = body.repository_ids;
  if (names !== undefined || ids !== undefined) {
    const wanted = new Set<string>();
    const invalid = (): never => {
      throw validationFailed([], 'There is at least one repository that does not exist or is not accessible to the parent installation.');
    };
    if (names !== undefined) {
      if (!Array.isArray(names)) invalid();
      for (const n of names as unknown[]) {
        const r = typeof n === 'string' ? all.find((x) => x.name.toLowerCase() === n.toLowerCase()) : undefined;
        if (!r) invalid();
        else wanted.add(r.name);
      }
    }
    if (ids !== undefined) {
      if (!Array.isArray(ids)) invalid();
      for (const id of ids as unknown[]) {
        const r = all.find((x) => x.id === id);
        if (!r) invalid();
        else wanted.add(r.name);
      }
    }
    repos = [...wanted];
  }
  let permissions: Record<string, AppPermissionLevel> = { ...inst.permissions };
  if (body.permissions !== undefined) {
    if (typeof body.permissions !== 'object' || body.permissions === null) throw validationFailed([], 'The permissions requested are not granted to this installation.');
    permissions = {};
    for (const [k, v] of Object.entries(body.permissions as Record<string, unknown>)) {
      if ((v !== 'read' && v !== 'write') || !levelAtLeast(inst.permissions[k], v)) {
        throw new HttpError(422, 'The permissions requested are not granted to this installation.');
      }
      permissions[k] = v;
    }
    if (!permissions.metadata && inst.permissions.metadata) permissions.metadata = 'read';
  }
  const { token, expiresAt } = issueInstallationToken(ctx, { installationId: inst.id, permissions, repositories: repos });
  const out: Record<string, unknown> = {
    token,
    expires_at: expiresAt,
    permissions,
    repository_selection: repos === null ? inst.repositorySelection : 'selected',
  };
  if (repos !== null || inst.repositorySelection === 'selected') {
    const visible = repos ?? inst.repositories;
    out.repositories = all.filter((r) => visible.includes(r.name)).map((r) => repository(ctx, r));
  }
  return ok(out, 201);
}

function repoInstallation(ctx: SandboxContext, req: RestRequest) {
  const repo = findRepo(ctx, req.params.owner, req.params.repo);
  const inst = repo ? installationFor(ctx, repo.owner) : undefined;
  if (!repo || !inst || (inst.repositorySelection === 'selected' && !inst.repositories.includes(repo.name))) throw notFound();
  return ok(installation(ctx, inst));
}

function accountInstallation(ctx: SandboxContext, login: string, kind: 'Organization' | 'User') {
  const acc = Object.values(ctx.state.accounts).find((a) => a.login.toLowerCase() === login.toLowerCase());
  const inst = acc && acc.type === kind ? installationFor(ctx, acc.login) : undefined;
  if (!inst) throw notFound();
  return ok(installation(ctx, inst));
}

export const appRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/app', auth: 'app', handler: (ctx) => ok(integration(ctx)) },
  { method: 'GET', pattern: '/app/installations', auth: 'app', handler: (ctx, req) => listResult(req, ctx.state.installations, (i) => installation(ctx, i)) },
  { method: 'GET', pattern: '/app/installations/:installation_id', auth: 'app', handler: (ctx, req) => ok(installation(ctx, installationById(ctx, req.params.installation_id))) },
  { method: 'POST', pattern: '/app/installations/:installation_id/access_tokens', auth: 'app', handler: accessTokens },
  { method: 'GET', pattern: '/repos/:owner/:repo/installation', auth: 'app', handler: repoInstallation },
  { method: 'GET', pattern: '/orgs/:org/installation', auth: 'app', handler: (ctx, req) => accountInstallation(ctx, req.params.org, 'Organization') },
  { method: 'GET', pattern: '/users/:username/installation', auth: 'app', handler: (ctx, req) => accountInstallation(ctx, req.params.username, 'User') },
];
