/**
 * `/rollbacks` behind GitHub sign-in. Without a session the page sends the visitor to GitHub's
 * authorize page (the App's OAuth user flow) with a random `state` kept in a signed cookie; the
 * callback checks that state (CSRF), trades the code for a user token, and opens a session. A signed-in
 * person sees only the rollbacks whose repositories (every step's, the tracking issue's and the
 * origin's) they can all read; `UNWIND_DASHBOARD_AUTH=off` shows everything and says so.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ListedRollback } from '../rollbacks-page.ts';
import { renderRollbacksPage, renderSignInProblem } from '../rollbacks-page.ts';
import type { DashboardSettings } from './dashboard-settings.ts';
import { authorizeUrl, signInWithCode, userCanRead } from './github-web-flow.ts';
import { createCookieJar, sameText, type CookieJar } from './signed-cookies.ts';
import { READ_CACHE_MS, SESSION_MS, SessionStore, type Session } from './sessions.ts';

export const DASHBOARD_PATH = '/rollbacks';
export const CALLBACK_PATH = '/rollbacks/callback';
export const SIGN_OUT_PATH = '/rollbacks/sign-out';
const SESSION_COOKIE = 'unwind_session';
const STATE_COOKIE = 'unwind_oauth_state';
const STATE_MS = 10 * 60_000;

export interface DashboardDeps {
  readonly settings: DashboardSettings;
  /** every rollback Unwind can see (cached by the caller) */
  list(): Promise<ListedRollback[]>;
  readonly fetch?: typeof fetch;
  /** a warning for the operator's log, never with a token in it */
  warn(message: string): void;
}

/** Every repository a rollback shows something of. */
export function repositoriesOf(item: ListedRollback): string[] {
  const s = item.state;
  return [...new Set([...s.steps.map((st) => st.repo), s.tracking.repo, s.origin.repo].map((r) => r.toLowerCase()))].sort();
}

export class Dashboard {
  private readonly cookies: CookieJar = createCookieJar();
  private readonly sessions = new SessionStore();

  constructor(private readonly deps: DashboardDeps) {}

  /** Answers the dashboard's paths; false for any other request. */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://unwind.local');
    const method = req.method ?? 'GET';
    if (url.pathname === DASHBOARD_PATH && method === 'GET') return this.page(req, res);
    if (url.pathname === CALLBACK_PATH && method === 'GET') return this.callback(req, res, url);
    if (url.pathname === SIGN_OUT_PATH && method === 'POST') return this.signOut(req, res);
    return false;
  }

  private async page(req: IncomingMessage, res: ServerResponse): Promise<true> {
    const s = this.deps.settings;
    if (s.auth === 'off') return send(res, 200, renderRollbacksPage(await this.deps.list(), new Date(), { access: { kind: 'open' } }));
    if (s.client === null) {
      return send(res, 503, renderSignInProblem('Sign-in is required but not configured: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET from the App\'s settings page, or UNWIND_DASHBOARD_AUTH=off on a trusted network.'));
    }
    const origin = this.origin(req);
    if (origin === null) return send(res, 400, renderSignInProblem('The request has no Host header; set UNWIND_PUBLIC_URL.'));
    const session = this.sessions.get(this.cookies.read(req, SESSION_COOKIE));
    if (!session) {
      const state = randomBytes(24).toString('base64url');
      res.writeHead(302, {
        location: authorizeUrl(s.webUrl, { clientId: s.client.clientId, redirectUri: `${origin}${CALLBACK_PATH}`, state }),
        'set-cookie': this.cookies.make(STATE_COOKIE, state, { maxAgeMs: STATE_MS, secure: origin.startsWith('https:'), path: DASHBOARD_PATH }),
        'cache-control': 'no-store',
      });
      res.end();
      return true;
    }
    const all = await this.deps.list();
    const shown: ListedRollback[] = [];
    for (const item of all) if (await this.canReadAll(session, repositoriesOf(item))) shown.push(item);
    return send(res, 200, renderRollbacksPage(shown, new Date(), { access: { kind: 'signed-in', login: session.user.login, hidden: all.length - shown.length, signOutPath: SIGN_OUT_PATH } }));
  }

  private async callback(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    const s = this.deps.settings;
    if (s.auth === 'off' || s.client === null) return send(res, 404, renderSignInProblem('Sign-in is not in use.'));
    const origin = this.origin(req);
    const expected = this.cookies.read(req, STATE_COOKIE);
    const state = url.searchParams.get('state') ?? '';
    const code = url.searchParams.get('code') ?? '';
    const secure = origin?.startsWith('https:') ?? false;
    const clearState = this.cookies.clear(STATE_COOKIE, { secure, path: DASHBOARD_PATH });
    if (origin === null || expected === null || !state || !sameText(state, expected)) {
      return send(res, 400, renderSignInProblem('This sign-in link is not the one Unwind started (its state does not match, or it expired). Open /rollbacks again.', '/rollbacks'), { 'set-cookie': clearState });
    }
    if (!code) return send(res, 400, renderSignInProblem(`GitHub did not authorize the sign-in${url.searchParams.get('error') ? ` (${url.searchParams.get('error')})` : ''}.`, '/rollbacks'), { 'set-cookie': clearState });
    let session: Session;
    try {
      const user = await signInWithCode({ webUrl: s.webUrl, apiUrl: s.apiUrl, clientId: s.client.clientId, clientSecret: s.client.clientSecret, code, redirectUri: `${origin}${CALLBACK_PATH}`, fetch: this.deps.fetch });
      session = this.sessions.create(user);
    } catch (err) {
      this.deps.warn(`dashboard sign-in failed: ${err instanceof Error ? err.message : String(err)}`);
      return send(res, 502, renderSignInProblem('Signing in with GitHub failed; try again.', '/rollbacks'), { 'set-cookie': clearState });
    }
    res.writeHead(303, {
      location: DASHBOARD_PATH,
      'set-cookie': [clearState, this.cookies.make(SESSION_COOKIE, session.id, { maxAgeMs: Math.min(SESSION_MS, session.expires - Date.now()), secure, path: DASHBOARD_PATH })],
      'cache-control': 'no-store',
    });
    res.end();
    return true;
  }

  private async signOut(req: IncomingMessage, res: ServerResponse): Promise<true> {
    // A POST, and the session cookie is SameSite=Lax: another site cannot sign a visitor out.
    const id = this.cookies.read(req, SESSION_COOKIE);
    if (id !== null) this.sessions.delete(id);
    const secure = this.origin(req)?.startsWith('https:') ?? false;
    return send(res, 200, renderSignInProblem('Signed out.', '/rollbacks', 'Sign in again'), { 'set-cookie': this.cookies.clear(SESSION_COOKIE, { secure, path: DASHBOARD_PATH }) });
  }

  private async canReadAll(session: Session, repos: readonly string[]): Promise<boolean> {
    const s = this.deps.settings;
    if (s.auth === 'off') return true;
    for (const repo of repos) {
      const known = session.readable.get(repo);
      let ok: boolean;
      if (known && Date.now() - known.at < READ_CACHE_MS) ok = known.ok;
      else {
        ok = await userCanRead({ apiUrl: s.apiUrl, token: session.user.token, repo, fetch: this.deps.fetch });
        session.readable.set(repo, { ok, at: Date.now() });
      }
      if (!ok) return false;
    }
    return true;
  }

  /** The URL people reach Unwind at: UNWIND_PUBLIC_URL, else the request's Host over http. */
  private origin(req: IncomingMessage): string | null {
    const s = this.deps.settings;
    if (s.auth === 'github' && s.publicUrl) return s.publicUrl;
    const host = req.headers.host;
    return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : null;
  }
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string | string[]> = {}): true {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(html);
  return true;
}
