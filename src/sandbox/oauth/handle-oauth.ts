/**
 * GitHub's web flow for a GitHub App's user access tokens
 * (https://docs.github.com/apps/creating-github-apps/authenticating-with-a-github-app/generating-a-user-access-token-for-a-github-app):
 * `GET /login/oauth/authorize` shows a sign-in and authorize page, its form POST redirects back with a
 * one-time `code` and the caller's `state`, and `POST /login/oauth/access_token` trades the code (with
 * the client id and secret) for a `ghu_` token that expires after eight hours. The sandbox has no
 * passwords: a person signs in with a sandbox user's personal token (the demo prints them).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../context.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { h } from '../html/escape.ts';
import { page } from '../html/layout.ts';
import type { BrowserSessions } from './browser-session.ts';
import { oauthClientOf } from './credentials.ts';

export const AUTHORIZE_PATH = '/login/oauth/authorize';
export const ACCESS_TOKEN_PATH = '/login/oauth/access_token';
const CODE_MS = 10 * 60_000;
const TOKEN_MS = 8 * 3600_000;
const MAX_FORM = 64 * 1024;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface PendingCode {
  clientId: string;
  redirectUri: string;
  login: string;
  expires: number;
}

export type OAuthHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

function randomText(prefix: string, n: number): string {
  let s = prefix;
  for (const b of randomBytes(n)) s += ALPHABET[b % ALPHABET.length];
  return s;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The sandbox runs on the loopback interface, so it redirects only there (GitHub: the registered callback URL). */
function loopbackUrl(raw: string | null): URL | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
    return (u.protocol === 'http:' || u.protocol === 'https:') && loopback ? u : null;
  } catch {
    return null;
  }
}

/** A request body the OAuth endpoints cannot read: answered 400 with what is wrong. */
class BadForm extends Error {}

/** A form (`application/x-www-form-urlencoded`) or a JSON object of strings, as GitHub accepts both. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM) throw new BadForm(`the request body is larger than ${MAX_FORM} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!/^\s*\{/.test(text)) return new URLSearchParams(text);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadForm('the request body is not valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new BadForm('the JSON body must be an object');
  return new URLSearchParams(Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

function sendHtml(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  // No form-action here: the authorize form's answer is a redirect to the App, another origin.
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", ...headers });
  res.end(html);
}

export function createOAuthHandler(ctx: SandboxContext, sessions: BrowserSessions): OAuthHandler {
  const codes = new Map<string, PendingCode>();
  const client = () => oauthClientOf(ctx.app);
  const isUser = (login: string): boolean => ctx.state.accounts[login]?.type === 'User';

  function errorPage(res: ServerResponse, viewer: string | null, status: number, message: string): true {
    sendHtml(res, status, page({ title: 'Authorization error · GitHub sandbox', viewer, body: h`<h1>Authorization error</h1><p>${message}</p>` }));
    return true;
  }

  function authorizeForm(res: ServerResponse, viewer: string | null, p: { clientId: string; redirectUri: string; state: string; login: string }, problem?: string): true {
    const hidden = h`<input type="hidden" name="client_id" value="${p.clientId}"><input type="hidden" name="redirect_uri" value="${p.redirectUri}"><input type="hidden" name="state" value="${p.state}">`;
    const form = viewer
      ? h`<form method="post" action="${AUTHORIZE_PATH}">${hidden}<input type="hidden" name="authenticity_token" value="${sessions.formToken(viewer)}"><p>Signed in as <strong>${viewer}</strong>.</p><button type="submit" id="authorize">Authorize ${ctx.app.name}</button></form>`
      : h`<form method="post" action="${AUTHORIZE_PATH}">${hidden}
<p><label>Username<br><input name="login" id="login" value="${p.login}" autocomplete="username" required></label></p>
<p><label>Personal access token (the sandbox's password)<br><input name="token" id="token" type="password" autocomplete="current-password" required></label></p>
<button type="submit" id="authorize">Sign in and authorize ${ctx.app.name}</button></form>`;
    sendHtml(res, problem ? 401 : 200, page({
      title: `Authorize ${ctx.app.name} · GitHub sandbox`,
      viewer,
      body: h`<h1>Authorize ${ctx.app.name}</h1>${problem ? h`<p class="check failure" id="problem">${problem}</p>` : ''}
<p class="meta">${ctx.app.name} will learn who you are and act on your behalf where you and the App both have access. You will be sent to <code>${new URL(p.redirectUri).origin}</code>.</p>
<div class="box"><div class="body">${form}</div></div>`,
    }));
    return true;
  }

  async function authorize(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    const post = req.method === 'POST';
    const params = post ? await readForm(req) : url.searchParams;
    let viewer = sessions.viewerOf(req);
    const clientId = params.get('client_id') ?? '';
    if (!sameText(clientId, client().clientId)) return errorPage(res, viewer, 404, 'No application is registered with this client_id.');
    const redirect = loopbackUrl(params.get('redirect_uri'));
    if (!redirect) return errorPage(res, viewer, 400, 'The redirect_uri must be an http(s) URL on this machine (127.0.0.1 or localhost): the sandbox has no registered callback URL.');
    const p = { clientId, redirectUri: redirect.href, state: params.get('state') ?? '', login: params.get('login') ?? '' };
    if (!post) return authorizeForm(res, viewer, p);
    const extra: Record<string, string> = {};
    if (viewer) {
      if (!sessions.checkFormToken(viewer, params.get('authenticity_token') ?? '')) return errorPage(res, viewer, 422, 'The form expired; go back and try again.');
    } else {
      const login = params.get('login')?.trim() ?? '';
      const token = params.get('token')?.trim() ?? '';
      const stored = token ? ctx.state.tokens[token] : undefined;
      if (!isUser(login) || stored?.kind !== 'user' || stored.login !== login) return authorizeForm(res, null, p, 'Incorrect username or token.');
      viewer = login;
      extra['set-cookie'] = sessions.cookieFor(login);
    }
    const code = randomText('', 20);
    codes.set(code, { clientId, redirectUri: p.redirectUri, login: viewer, expires: Date.now() + CODE_MS });
    const back = new URL(p.redirectUri);
    back.searchParams.set('code', code);
    if (p.state) back.searchParams.set('state', p.state);
    res.writeHead(302, { location: back.href, 'cache-control': 'no-store', ...extra });
    res.end();
    return true;
  }

  async function accessToken(req: IncomingMessage, res: ServerResponse, url: URL): Promise<true> {
    const params = await readForm(req);
    for (const [k, v] of url.searchParams) if (!params.has(k)) params.set(k, v);
    const asJson = /application\/json/.test(req.headers.accept ?? '');
    const answer = (body: Record<string, string | number>): true => {
      // GitHub answers 200 also for errors, with `error` and `error_description`.
      const text = asJson ? JSON.stringify(body) : new URLSearchParams(Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]))).toString();
      res.writeHead(200, { 'content-type': asJson ? 'application/json; charset=utf-8' : 'application/x-www-form-urlencoded; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
      return true;
    };
    const fail = (error: string, description: string): true => answer({ error, error_description: description, error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors' });
    const { clientId, clientSecret } = client();
    if (!sameText(params.get('client_id') ?? '', clientId) || !sameText(params.get('client_secret') ?? '', clientSecret)) return fail('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.');
    const code = params.get('code') ?? '';
    const pending = codes.get(code);
    codes.delete(code); // one use only, whatever the outcome
    if (!pending || pending.expires < Date.now() || pending.clientId !== clientId) return fail('bad_verification_code', 'The code passed is incorrect or expired.');
    const redirectUri = params.get('redirect_uri');
    if (redirectUri !== null && redirectUri !== pending.redirectUri) return fail('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.');
    const token = randomText('ghu_', 36);
    const now = ctx.now();
    ctx.state.tokens[token] = { kind: 'user', login: pending.login, expiresAt: isoSeconds(new Date(now.getTime() + TOKEN_MS)), createdAt: isoSeconds(now) };
    ctx.save();
    return answer({ access_token: token, expires_in: TOKEN_MS / 1000, token_type: 'bearer', scope: '' });
  }

  return async (req, res, url) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const mine = (url.pathname === AUTHORIZE_PATH && (method === 'GET' || method === 'POST')) || (url.pathname === ACCESS_TOKEN_PATH && method === 'POST');
    if (!mine) return false;
    try {
      return url.pathname === AUTHORIZE_PATH ? await authorize(req, res, url) : await accessToken(req, res, url);
    } catch (err) {
      if (!(err instanceof BadForm)) throw err;
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${err.message}\n`);
      return true;
    }
  };
}
