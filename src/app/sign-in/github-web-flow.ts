/**
 * The GitHub side of sign-in: the authorize URL, trading the code for a user access token, who the
 * user is, and whether the user can read a repository (`GET /repos/{owner}/{repo}` with the user's
 * token: 200 when the user can read it, 404 when not; a GitHub App user token works there).
 * The token never appears in a log line or an error message.
 */

export interface GitHubUser {
  readonly login: string;
  readonly token: string;
  /** when the user token expires (ms since epoch); GitHub App user tokens last eight hours */
  readonly tokenExpires: number;
}

export function authorizeUrl(webUrl: string, p: { clientId: string; redirectUri: string; state: string }): string {
  const url = new URL(`${webUrl}/login/oauth/authorize`);
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('state', p.state);
  return url.href;
}

const TIMEOUT_MS = 10_000;
const DEFAULT_TOKEN_MS = 8 * 3600_000;

export async function signInWithCode(p: { webUrl: string; apiUrl: string; clientId: string; clientSecret: string; code: string; redirectUri: string; fetch?: typeof fetch }): Promise<GitHubUser> {
  const f = p.fetch ?? fetch;
  const res = await f(`${p.webUrl}/login/oauth/access_token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: p.clientId, client_secret: p.clientSecret, code: p.code, redirect_uri: p.redirectUri }).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown };
  if (!res.ok || typeof body.access_token !== 'string') {
    throw new Error(`GitHub did not issue a token (${res.status}${typeof body.error === 'string' ? `: ${body.error}` : ''}${typeof body.error_description === 'string' ? `, ${body.error_description}` : ''})`);
  }
  const token = body.access_token;
  const me = await f(`${p.apiUrl}/user`, { headers: apiHeaders(token), signal: AbortSignal.timeout(TIMEOUT_MS) });
  const user = (await me.json().catch(() => ({}))) as { login?: unknown };
  if (!me.ok || typeof user.login !== 'string') throw new Error(`GET /user with the new token answered ${me.status}`);
  const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : DEFAULT_TOKEN_MS;
  return { login: user.login, token, tokenExpires: Date.now() + lifetime };
}

/** true when the user can read `owner/repo`; false on 404, 403, 401 or any failure (fail closed). */
export async function userCanRead(p: { apiUrl: string; token: string; repo: string; fetch?: typeof fetch }): Promise<boolean> {
  const [owner, name] = p.repo.split('/');
  if (!owner || !name) return false;
  try {
    const res = await (p.fetch ?? fetch)(`${p.apiUrl}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`, { headers: apiHeaders(p.token), signal: AbortSignal.timeout(TIMEOUT_MS) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

function apiHeaders(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', 'user-agent': 'unwind-dashboard' };
}
