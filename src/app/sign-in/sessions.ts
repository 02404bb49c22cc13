/**
 * Signed-in people, kept in memory: the cookie carries only a random session id (signed, with its
 * expiry); the user's GitHub token stays on the server, and with it a short cache of which
 * repositories the person can read. Bounded: the oldest sessions go first.
 */
import { randomBytes } from 'node:crypto';
import type { GitHubUser } from './github-web-flow.ts';

export const SESSION_MS = 8 * 3600_000;
const MAX_SESSIONS = 10_000;
/** How long "can read owner/repo" is believed before GitHub is asked again. */
export const READ_CACHE_MS = 60_000;

export interface Session {
  readonly id: string;
  readonly user: GitHubUser;
  readonly expires: number;
  readonly readable: Map<string, { ok: boolean; at: number }>;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly now: () => number = Date.now) {}

  create(user: GitHubUser): Session {
    const id = randomBytes(24).toString('base64url');
    const session: Session = { id, user, expires: Math.min(this.now() + SESSION_MS, user.tokenExpires), readable: new Map() };
    this.sessions.set(id, session);
    while (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value as string);
    return session;
  }

  get(id: string | null): Session | null {
    if (id === null) return null;
    const s = this.sessions.get(id);
    if (!s) return null;
    if (s.expires <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return s;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }
}
