/** Issues installation tokens (`ghs_`, 1 hour) and user tokens (`ghp_`, no expiry). */
import { randomBytes } from 'node:crypto';
import type { SandboxContext } from '../context.ts';
import type { AppPermissionLevel } from '../types.ts';
import { isoSeconds } from '../state/initial-state.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomToken(prefix: string): string {
  const bytes = randomBytes(36);
  let s = prefix;
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return s;
}

export function issueInstallationToken(
  ctx: SandboxContext,
  p: { installationId: number; permissions: Record<string, AppPermissionLevel>; repositories: string[] | null },
): { token: string; expiresAt: string } {
  const now = ctx.now();
  const token = randomToken('ghs_');
  const expiresAt = isoSeconds(new Date(now.getTime() + 3600_000));
  ctx.state.tokens[token] = {
    kind: 'installation',
    installationId: p.installationId,
    permissions: p.permissions,
    repositories: p.repositories,
    expiresAt,
    createdAt: isoSeconds(now),
  };
  ctx.save();
  return { token, expiresAt };
}

export function issueUserToken(ctx: SandboxContext, login: string): string {
  const token = randomToken('ghp_');
  ctx.state.tokens[token] = { kind: 'user', login, expiresAt: null, createdAt: isoSeconds(ctx.now()) };
  ctx.save();
  return token;
}
