/**
 * Who is signed in to the sandbox in a browser (GitHub's own session, which the authorize page needs):
 * a cookie `sandbox_session` = login, expiry and an HMAC over both, with a key made per server start.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const SESSION_COOKIE = 'sandbox_session';
const SESSION_MS = 8 * 3600_000;

export interface BrowserSessions {
  /** the signed-in login, or null (no cookie, bad signature, expired, or the account is gone) */
  viewerOf(req: IncomingMessage): string | null;
  /** Set-Cookie value that signs `login` in */
  cookieFor(login: string): string;
  /** a per-session value that the authorize form posts back (CSRF) */
  formToken(login: string): string;
  checkFormToken(login: string, token: string): boolean;
}

export function readCookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createBrowserSessions(accountExists: (login: string) => boolean, now: () => Date): BrowserSessions {
  const key = randomBytes(32);
  const mac = (text: string): string => createHmac('sha256', key).update(text).digest('base64url');
  return {
    viewerOf(req) {
      const value = readCookie(req, SESSION_COOKIE);
      const m = value ? /^([A-Za-z0-9-]{1,39})\.([0-9]{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value) : null;
      if (!m || !sameText(mac(`${m[1]}.${m[2]}`), m[3])) return null;
      if (Number(m[2]) <= now().getTime() || !accountExists(m[1])) return null;
      return m[1];
    },
    cookieFor(login) {
      const payload = `${login}.${now().getTime() + SESSION_MS}`;
      return `${SESSION_COOKIE}=${payload}.${mac(payload)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MS / 1000}`;
    },
    formToken: (login) => mac(`form:${login}`),
    checkFormToken: (login, token) => sameText(mac(`form:${login}`), token),
  };
}
