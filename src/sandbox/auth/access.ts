/** Who may do what on a repo: user roles (repo, team, org grants) and installation permissions. */
import type { SandboxContext } from '../context.ts';
import { HttpError, notAccessible, notFound, requiresAuth } from '../http/http-error.ts';
import type { Actor } from '../http/rest-types.ts';
import type { InstallationState, RepoState, TokenState } from '../state/model.ts';
import type { AppPermissionLevel, RepoPermission } from '../types.ts';

const ROLE_RANK: Record<RepoPermission, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 };

export function roleAtLeast(role: RepoPermission | null, need: RepoPermission): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[need];
}

function maxRole(a: RepoPermission | null, b: RepoPermission | null): RepoPermission | null {
  if (a === null) return b;
  if (b === null) return a;
  return ROLE_RANK[a] >= ROLE_RANK[b] ? a : b;
}

/** Highest grant of `login` on the repo from ownership, org membership, collaborators and teams (null = none). */
export function userRole(ctx: SandboxContext, login: string, repo: RepoState): RepoPermission | null {
  if (repo.owner === login) return 'admin';
  let role: RepoPermission | null = repo.collaborators[login] ?? null;
  const owner = ctx.state.accounts[repo.owner];
  const orgRole = owner?.members?.[login];
  if (orgRole === 'admin') role = 'admin';
  else if (orgRole === 'member') role = maxRole(role, 'read');
  const fullName = `${repo.owner}/${repo.name}`;
  for (const team of ctx.state.teams) {
    if (team.org !== repo.owner || !team.members[login]) continue;
    role = maxRole(role, team.repos[fullName] ?? null);
  }
  return role;
}

export function installationFor(ctx: SandboxContext, account: string): InstallationState | undefined {
  return ctx.state.installations.find((i) => i.account === account);
}

export function installationSees(inst: InstallationState, repo: RepoState, token?: TokenState): boolean {
  if (inst.account !== repo.owner) return false;
  if (inst.repositorySelection === 'selected' && !inst.repositories.includes(repo.name)) return false;
  if (token?.repositories && !token.repositories.includes(repo.name)) return false;
  return true;
}

export function levelAtLeast(have: AppPermissionLevel | undefined, need: AppPermissionLevel): boolean {
  if (have === undefined) return false;
  return need === 'read' || have === 'write';
}

export interface AccessNeed {
  /** installation permission, e.g. ['contents', 'write'] (metadata:read is implicit) */
  app?: [string, AppPermissionLevel];
  /** minimum repo role for users (default read) */
  role?: RepoPermission;
}

export function findRepo(ctx: SandboxContext, owner: string, name: string): RepoState | undefined {
  return ctx.state.repos[`${owner}/${name}`.toLowerCase()];
}

/** Resolves a repo the actor may access with `need`; throws GitHub's 401/403/404 otherwise. */
export function requireRepo(ctx: SandboxContext, actor: Actor, owner: string, name: string, need: AccessNeed = {}): RepoState {
  const repo = findRepo(ctx, owner, name);
  if (!repo) throw notFound();
  const writing = need.role !== undefined && need.role !== 'read';
  switch (actor.kind) {
    case 'anonymous':
      if (repo.private) throw notFound();
      if (writing || (need.app && need.app[1] === 'write')) throw requiresAuth();
      return repo;
    case 'app':
      throw new HttpError(403, 'Resource not accessible by integration');
    case 'installation': {
      if (!installationSees(actor.installation, repo, actor.token)) throw notFound();
      if (need.app) {
        const [perm, level] = need.app;
        const perms = actor.token.permissions ?? actor.installation.permissions;
        if (!levelAtLeast(perms[perm], level)) throw notAccessible();
      }
      return repo;
    }
    case 'user': {
      const role = userRole(ctx, actor.login, repo);
      if (repo.private && role === null) throw notFound();
      const needRole = need.role ?? 'read';
      if (needRole !== 'read' && !roleAtLeast(role, needRole)) {
        if (repo.private || role !== null) throw new HttpError(403, `Must have ${needRole} access to repository.`);
        throw new HttpError(403, `Must have ${needRole} access to repository.`);
      }
      return repo;
    }
  }
}

/** The login that authored an action: the user, or `<slug>[bot]` for installation tokens. */
export function actorLogin(ctx: SandboxContext, actor: Actor): string {
  if (actor.kind === 'user') return actor.login;
  if (actor.kind === 'installation') return `${ctx.app.slug}[bot]`;
  throw requiresAuth();
}
