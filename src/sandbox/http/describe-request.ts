/** What the `onRequest` hook is told about a request: method, path and the login behind its token. */
import type { IncomingMessage } from 'node:http';
import type { SandboxContext } from '../context.ts';
import { actorForToken } from '../auth/authenticate.ts';
import { looksLikeJwt } from '../auth/verify-jwt.ts';
import { readToken } from '../git/read-token.ts';
import type { IncomingRequestInfo } from '../types.ts';

export function describeRequest(ctx: SandboxContext, req: IncomingMessage, path: string): IncomingRequestInfo {
  return { method: (req.method ?? 'GET').toUpperCase(), path, actor: actorLogin(ctx, req) };
}

function actorLogin(ctx: SandboxContext, req: IncomingMessage): string | null {
  const token = readToken(req.headers);
  if (!token || looksLikeJwt(token)) return null;
  const actor = actorForToken(ctx, token);
  if (actor?.kind === 'user') return actor.login;
  if (actor?.kind === 'installation') return `${ctx.app.slug}[bot]`;
  return null;
}
