/** Git smart-HTTP authorization and push handling, wired to the sandbox's auth and ref-update logic. */
import type { SandboxContext } from './context.ts';
import { findRepo, installationSees, levelAtLeast, roleAtLeast, userRole } from './auth/access.ts';
import { actorForToken } from './auth/authenticate.ts';
import { looksLikeJwt } from './auth/verify-jwt.ts';
import type { AuthDecision, GitAccess } from './git/http-handler.ts';
import { applyRefUpdates } from './services/apply-ref-updates.ts';

export function authorizeGit(ctx: SandboxContext, p: { token: string | null; owner: string; repo: string; access: GitAccess }): AuthDecision {
  const repo = findRepo(ctx, p.owner, p.repo);
  if (p.token === null) {
    if (repo && !repo.private && p.access === 'read') return 'ok';
    return 'unauthorized';
  }
  if (looksLikeJwt(p.token)) return 'unauthorized';
  const actor = actorForToken(ctx, p.token);
  if (!actor) return 'unauthorized';
  if (!repo) return 'not_found';
  if (actor.kind === 'installation') {
    if (!installationSees(actor.installation, repo, actor.token)) return 'not_found';
    const perms = actor.token.permissions ?? actor.installation.permissions;
    return levelAtLeast(perms.contents, p.access) ? 'ok' : 'forbidden';
  }
  if (actor.kind === 'user') {
    const role = userRole(ctx, actor.login, repo);
    if (repo.private && role === null) return 'not_found';
    if (p.access === 'read') return 'ok';
    return roleAtLeast(role, 'write') ? 'ok' : 'forbidden';
  }
  return 'unauthorized';
}

export function pusherOf(ctx: SandboxContext, token: string | null): string {
  const actor = token ? actorForToken(ctx, token) : null;
  if (actor?.kind === 'user') return actor.login;
  if (actor?.kind === 'installation') return `${ctx.app.slug}[bot]`;
  return `${ctx.app.slug}[bot]`;
}

export async function onGitPush(ctx: SandboxContext, p: { owner: string; repo: string; updates: Array<{ ref: string; before: string; after: string }>; token: string | null }): Promise<void> {
  const repo = findRepo(ctx, p.owner, p.repo);
  if (!repo || p.updates.length === 0) return;
  await applyRefUpdates(ctx, repo, p.updates, pusherOf(ctx, p.token));
}

export function isProtectedRef(ctx: SandboxContext, p: { owner: string; repo: string; ref: string }): boolean {
  const repo = findRepo(ctx, p.owner, p.repo);
  if (!repo || !p.ref.startsWith('refs/heads/')) return false;
  const prot = repo.protection[p.ref.slice('refs/heads/'.length)];
  return !!prot && (prot.requiredChecks.length > 0 || prot.requiredApprovals > 0);
}
