/**
 * The dashboard's cookies: a value, its expiry and an HMAC-SHA256 over both, keyed per process (a
 * restart signs everyone out, which the in-memory sessions would anyway). HttpOnly, SameSite=Lax,
 * Secure when Unwind is reached over https, scoped to the dashboard's path.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export interface CookieJar {
  /** the value of a valid, unexpired cookie `name`, else null */
  read(req: IncomingMessage, name: string): string | null;
  /** a Set-Cookie header value */
  make(name: string, value: string, p: { maxAgeMs: number; secure: boolean; path: string }): string;
  clear(name: string, p: { secure: boolean; path: string }): string;
}

const VALUE = /^[A-Za-z0-9_-]{1,200}$/;

export function readCookieHeader(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return null;
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createCookieJar(now: () => number = Date.now, key: Buffer = randomBytes(32)): CookieJar {
  const mac = (name: string, payload: string): string => createHmac('sha256', key).update(`${name}\n${payload}`).digest('base64url');
  const attributes = (p: { secure: boolean; path: string }): string => `Path=${p.path}; HttpOnly; SameSite=Lax${p.secure ? '; Secure' : ''}`;
  return {
    read(req, name) {
      const m = /^([A-Za-z0-9_-]{1,200})\.([0-9]{1,15})\.([A-Za-z0-9_-]{43})$/.exec(readCookieHeader(req, name) ?? '');
      if (!m || !sameText(mac(name, `${m[1]}.${m[2]}`), m[3])) return null;
      return Number(m[2]) > now() ? m[1] : null;
    },
    make(name, value, p) {
      if (!VALUE.test(value)) throw new Error(`cookie ${name}: the value must be URL-safe base64`);
      const payload = `${value}.${now() + p.maxAgeMs}`;
      return `${name}=${payload}.${mac(name, payload)}; ${attributes(p)}; Max-Age=${Math.floor(p.maxAgeMs / 1000)}`;
    },
    clear: (name, p) => `${name}=; ${attributes(p)}; Max-Age=0`,
  };
}
