/** Users, collaborator permission and team membership. */
import type { SandboxContext } from '../context.ts';
import { levelAtLeast, roleAtLeast, userRole } from '../auth/access.ts';
import { HttpError, notAccessible, notFound, requiresAuth } from '../http/http-error.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { simpleUser } from '../objects/simple-user.ts';
import { enc } from '../objects/urls.ts';
import type { AccountState } from '../state/model.ts';
import { repoFor } from './helpers.ts';

function account(ctx: SandboxContext, login: string): AccountState {
  const a = ctx.state.accounts[login] ?? Object.values(ctx.state.accounts).find((x) => x.login.toLowerCase() === login.toLowerCase());
  if (!a) throw notFound();
  return a;
}

function publicUser(ctx: SandboxContext, a: AccountState): Record<string, unknown> {
  return {
    ...simpleUser(ctx, a),
    name: a.name,
    company: null,
    blog: '',
    location: null,
    email: a.email,
    hireable: null,
    bio: null,
    public_repos: Object.values(ctx.state.repos).filter((r) => r.owner === a.login && !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: a.createdAt,
    updated_at: a.createdAt,
  };
}

function collaboratorPermission(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['metadata', 'read'] });
  const user = account(ctx, req.params.username);
  const role = userRole(ctx, user.login, repo);
  if (role === null) throw notFound();
  const legacy = roleAtLeast(role, 'admin') ? 'admin' : roleAtLeast(role, 'write') ? 'write' : 'read';
  const rank = ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role);
  return ok({
    permission: legacy,
    role_name: role,
    user: {
      ...simpleUser(ctx, user),
      permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true },
      role_name: role,
    },
  });
}

function teamMembership(ctx: SandboxContext, req: RestRequest) {
  const org = account(ctx, req.params.org);
  if (req.actor.kind === 'anonymous') throw requiresAuth();
  if (req.actor.kind === 'installation') {
    if (req.actor.installation.account !== org.login) throw notFound();
    const perms = req.actor.token.permissions ?? req.actor.installation.permissions;
    if (!levelAtLeast(perms.members, 'read')) throw notAccessible();
  }
  if (req.actor.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
  const team = ctx.state.teams.find((t) => t.org === org.login && t.slug === req.params.team_slug);
  if (!team) throw notFound();
  const user = account(ctx, req.params.username);
  const orgAdmin = org.members?.[user.login] === 'admin';
  const role = team.members[user.login];
  if (!role && !orgAdmin) throw notFound();
  return ok({
    url: `${ctx.baseUrl}/organizations/${org.id}/team/${team.id}/memberships/${enc(user.login)}`,
    role: orgAdmin ? 'maintainer' : role,
    state: 'active',
  });
}

export const peopleRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/user', handler: (ctx, req) => {
    if (req.actor.kind !== 'user') throw req.actor.kind === 'anonymous' ? requiresAuth() : new HttpError(403, 'Resource not accessible by integration');
    return ok(publicUser(ctx, account(ctx, req.actor.login)));
  } },
  { method: 'GET', pattern: '/users/:username', handler: (ctx, req) => ok(publicUser(ctx, account(ctx, req.params.username))) },
  { method: 'GET', pattern: '/repos/:owner/:repo/collaborators/:username/permission', handler: collaboratorPermission },
  { method: 'GET', pattern: '/orgs/:org/teams/:team_slug/memberships/:username', handler: teamMembership },
];
