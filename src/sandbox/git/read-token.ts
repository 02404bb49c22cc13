import type { IncomingHttpHeaders } from 'node:http';

/**
 * The token of a git HTTP request: the password of Basic auth (GitHub ignores the user,
 * conventionally `x-access-token`), or the user when the password is empty (`https://<token>@…`),
 * or a `Bearer`/`token` credential. Null without an Authorization header.
 */
export function readToken(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (!header) return null;
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' || scheme === 'token') return value;
  if (scheme !== 'basic') return '';
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return decoded;
  const password = decoded.slice(colon + 1);
  return password === '' ? decoded.slice(0, colon) : password;
}
