/** Turns an Authorization header into an Actor (anonymous, App JWT, installation token, user token). */
import type { SandboxContext } from '../context.ts';
import { badCredentials, HttpError } from '../http/http-error.ts';
import type { Actor } from '../http/rest-types.ts';
import { looksLikeJwt, verifyAppJwt } from './verify-jwt.ts';

export function clientId(appId: number): string {
  return `Iv1.${appId.toString(16).padStart(16, '0')}`;
}

/** Extracts the credential: `token X`, `Bearer X`, or the password of Basic auth. */
export function credentialOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(\S+)\s+(.+)$/.exec(header.trim());
  if (!m) throw badCredentials();
  const scheme = m[1].toLowerCase();
  if (scheme === 'token' || scheme === 'bearer') return m[2].trim();
  if (scheme === 'basic') {
    const decoded = Buffer.from(m[2].trim(), 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    return i >= 0 ? decoded.slice(i + 1) : decoded;
  }
  throw badCredentials();
}

/** Looks up a non-JWT token; null when unknown or expired. */
export function actorForToken(ctx: SandboxContext, token: string): Actor | null {
  const t = ctx.state.tokens[token];
  if (!t) return null;
  if (t.expiresAt !== null && Date.parse(t.expiresAt) <= ctx.now().getTime()) return null;
  if (t.kind === 'user' && t.login) return { kind: 'user', login: t.login };
  const inst = ctx.state.installations.find((i) => i.id === t.installationId);
  if (!inst) return null;
  return { kind: 'installation', installation: inst, token: t };
}

export function authenticate(ctx: SandboxContext, header: string | undefined): Actor {
  const cred = credentialOf(header);
  if (cred === null) return { kind: 'anonymous' };
  if (looksLikeJwt(cred)) {
    verifyAppJwt(cred, { appId: ctx.app.id, clientId: clientId(ctx.app.id), publicKey: ctx.publicKey, now: ctx.now() });
    return { kind: 'app' };
  }
  const actor = actorForToken(ctx, cred);
  if (!actor) throw badCredentials();
  return actor;
}

export function requireAppJwt(actor: Actor): void {
  if (actor.kind === 'app') return;
  if (actor.kind === 'anonymous') throw new HttpError(401, 'A JSON web token could not be decoded');
  throw new HttpError(401, 'A JSON web token could not be decoded');
}
