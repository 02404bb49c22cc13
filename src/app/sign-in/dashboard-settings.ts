/**
 * Who may read `/rollbacks`: people signed in with GitHub through the App's OAuth user flow (the
 * default), each shown only rollbacks whose repositories they can all read; or, with
 * `UNWIND_DASHBOARD_AUTH=off`, everyone who can reach the port (a trusted network), which the page says.
 */

export interface OAuthClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export type DashboardSettings =
  | { readonly auth: 'off' }
  | {
      readonly auth: 'github';
      /** null: sign-in is required but not configured, so the page refuses everyone (fails closed) */
      readonly client: OAuthClientCredentials | null;
      /** GitHub's web host, where `/login/oauth/*` lives (github.com for api.github.com, the GHES host for /api/v3) */
      readonly webUrl: string;
      /** GitHub's REST API */
      readonly apiUrl: string;
      /** Unwind's own public URL for the OAuth callback; default: the request's Host over http */
      readonly publicUrl?: string;
    };

/** github.com's web host for its API host; GHES and the sandbox serve the web at the API's host without `/api/v3`. */
export function webUrlOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '')}`;
}

export type DashboardEnvResult = { readonly ok: true; readonly settings: DashboardSettings } | { readonly ok: false; readonly problems: readonly string[] };

/** `UNWIND_DASHBOARD_AUTH` (on|off, on), `GITHUB_CLIENT_ID` + `GITHUB_CLIENT_SECRET`, `UNWIND_PUBLIC_URL`. */
export function readDashboardEnv(env: Readonly<Record<string, string | undefined>>, apiUrl: string): DashboardEnvResult {
  const problems: string[] = [];
  const value = (name: string): string | undefined => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const mode = value('UNWIND_DASHBOARD_AUTH') ?? 'on';
  if (mode !== 'on' && mode !== 'off') problems.push(`UNWIND_DASHBOARD_AUTH must be on or off (off: /rollbacks without sign-in, for a trusted network), got ${JSON.stringify(env.UNWIND_DASHBOARD_AUTH)}`);
  const id = value('GITHUB_CLIENT_ID');
  const secret = value('GITHUB_CLIENT_SECRET');
  if ((id === undefined) !== (secret === undefined)) problems.push(`${id === undefined ? 'GITHUB_CLIENT_ID' : 'GITHUB_CLIENT_SECRET'} is not set but ${id === undefined ? 'GITHUB_CLIENT_SECRET' : 'GITHUB_CLIENT_ID'} is: set both from the App's settings page (Client ID, Client secrets)`);
  const publicUrl = value('UNWIND_PUBLIC_URL');
  let publicOk: string | undefined;
  if (publicUrl !== undefined) {
    try {
      const u = new URL(publicUrl);
      if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.search || u.hash) throw new Error('not an http(s) origin');
      publicOk = publicUrl.replace(/\/+$/, '');
    } catch {
      problems.push(`UNWIND_PUBLIC_URL must be the http(s) URL people use to reach Unwind, such as https://unwind.example.com, got ${JSON.stringify(publicUrl)}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (mode === 'off') return { ok: true, settings: { auth: 'off' } };
  return {
    ok: true,
    settings: { auth: 'github', client: id && secret ? { clientId: id, clientSecret: secret } : null, webUrl: webUrlOf(apiUrl), apiUrl, ...(publicOk ? { publicUrl: publicOk } : {}) },
  };
}
