/** RS256 App JWT verification with GitHub's claim rules and exact 401 messages (auth-app matches these texts). */
import { verify, type KeyObject } from 'node:crypto';
import { HttpError } from '../http/http-error.ts';

export const JWT_MESSAGES = {
  undecodable: 'A JSON web token could not be decoded',
  expTooFar: "'Expiration time' claim ('exp') is too far in the future",
  expired: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
  iat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
  notFound: 'Integration not found',
} as const;

const MAX_LIFETIME_S = 600;
/** GitHub tolerates some drift on iat; it rejects tokens issued too far in the future. */
const IAT_DRIFT_S = 60;

function decodePart(part: string): Record<string, unknown> {
  const parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(token);
}

/** Throws HttpError(401) unless `token` is a valid JWT for app `appId` (issuer may be the id or the client id). */
export function verifyAppJwt(token: string, p: { appId: number; clientId: string; publicKey: KeyObject; now: Date }): void {
  const parts = token.split('.');
  const fail = (msg: string): never => {
    throw new HttpError(401, msg);
  };
  if (parts.length !== 3) fail(JWT_MESSAGES.undecodable);
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodePart(parts[0]);
    claims = decodePart(parts[1]);
  } catch {
    return fail(JWT_MESSAGES.undecodable);
  }
  if (header.alg !== 'RS256') fail(JWT_MESSAGES.undecodable);
  const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), p.publicKey, Buffer.from(parts[2], 'base64url'));
  if (!signed) fail(JWT_MESSAGES.undecodable);
  const iss = claims.iss;
  if (String(iss) !== String(p.appId) && iss !== p.clientId) fail(JWT_MESSAGES.notFound);
  const now = Math.floor(p.now.getTime() / 1000);
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now + IAT_DRIFT_S) fail(JWT_MESSAGES.iat);
  if (typeof exp !== 'number' || exp <= now) fail(JWT_MESSAGES.expired);
  if ((exp as number) > now + MAX_LIFETIME_S || (exp as number) - (iat as number) > MAX_LIFETIME_S + IAT_DRIFT_S) fail(JWT_MESSAGES.expTooFar);
}
