/**
 * /rollbacks behind GitHub sign-in, against the sandbox's real OAuth flow: the redirect with a state
 * cookie, the callback's CSRF check, signed session cookies, per-person visibility, sign-out, and
 * the settings (off, not configured, https). Also the page itself: waves, states, links, escaping.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RollbackState, StepState } from '../../src/execution/state.ts';
import { renderRollbacksPage, type ListedRollback } from '../../src/app/rollbacks-page.ts';
import { Dashboard, repositoriesOf } from '../../src/app/sign-in/dashboard.ts';
import { readDashboardEnv, webUrlOf, type DashboardSettings } from '../../src/app/sign-in/dashboard-settings.ts';
import { oauthClientOf } from '../../src/sandbox/oauth/credentials.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';

function step(repo: string, wave: number, state: StepState['state'], pr: number | null, base: string): StepState {
  return {
    key: `${repo}:0`, wave, index: 0, repo, service: repo.split('/')[1], kind: 'revert', targets: [], mergeMethod: 'merge', waitForChecks: ['ci'], owners: [], labels: [],
    checksTimeoutMs: 1, checksSince: null, compensations: [], state, branch: `unwind/x-${wave}`, pr: pr === null ? null : { number: pr, url: `${base}/${repo}/pull/${pr}` },
    headSha: null, mergeSha: null, detail: null, drift: [], startedAt: null, prOpenedAt: null, mergedAt: null, verifiedAt: null, bytesFetched: null,
  };
}

function rollback(id: string, repos: string[], base: string, over: Partial<RollbackState> = {}): ListedRollback {
  const [first] = repos;
  const state: RollbackState = {
    v: 1, id, status: 'completed', org: 'acme', configRepo: 'acme/.github', contracts: {}, summary: `${first}#1`,
    origin: { repo: first, number: 1, url: `${base}/${first}/pull/1`, commentUrl: null }, tracking: { repo: first, number: 2, url: `${base}/${first}/issues/2` },
    requestedBy: 'alice', trigger: 'comment', reason: 'it broke', createdAt: `2026-01-0${repos.length}T00:00:00Z`,
    decision: { allow: true, pending: false, reasons: [], warnings: [], approvalsRequired: 0, approverTeams: [], approverUsers: [], autoMerge: true, engine: 'rego', policyVersion: 'x' },
    approvals: [], seq: 3, wave: repos.length, waveCount: repos.length, pendingWaveEntries: [], steps: repos.map((r, i) => step(r, i, 'verified', 3 + i, base)), warnings: [], planMarkdown: 'plan',
    timings: { requestedAt: '2026-01-01T00:00:00Z', plannedAt: null, approvedAt: null, firstPrAt: null, waves: repos.map((_, i) => ({ wave: i, startedAt: '2026-01-01T00:00:01Z', endedAt: '2026-01-01T00:00:02Z' })), finishedAt: '2026-01-01T00:00:03Z', resumes: 0, reconciliationMs: 0 },
    ...over,
  };
  return { state };
}

let sb: TestSandbox;
let tokens: Record<string, string>;
let items: ListedRollback[];

async function serveDashboard(settings: DashboardSettings): Promise<{ url: string; server: Server }> {
  const dashboard = new Dashboard({ settings, list: async () => items, warn: () => {} });
  const server = createServer((req, res) => {
    void dashboard.serve(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const cookieOf = (res: Response, name: string): string | undefined => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));

/** Runs the whole sign-in in plain HTTP: /rollbacks → authorize form → callback; returns the session cookie. */
async function signIn(url: string, login: string): Promise<string> {
  const start = await fetch(`${url}/rollbacks`, { redirect: 'manual' });
  const authorize = new URL(start.headers.get('location')!);
  const stateCookie = cookieOf(start, 'unwind_oauth_state')!.split(';')[0];
  const form = await fetch(`${sb.baseUrl}/login/oauth/authorize`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, state: authorize.searchParams.get('state')!, login, token: tokens[login] }).toString(),
  });
  const callback = await fetch(form.headers.get('location')!, { redirect: 'manual', headers: { cookie: stateCookie } });
  expect(callback.status).toBe(303);
  expect(callback.headers.get('location')).toBe('/rollbacks');
  return cookieOf(callback, 'unwind_session')!.split(';')[0];
}

beforeAll(async () => {
  sb = await startTestSandbox({ seedDemo: true });
  tokens = {};
  for (const login of ['erin', 'frank']) tokens[login] = (await sb.driver.createUser(login)).token;
  await sb.driver.addCollaborator('acme', 'web', 'erin', 'read');
  await sb.driver.createRepo('acme', 'vault', { private: true, files: { 'README.md': '# vault\n' } });
  await sb.driver.addCollaborator('acme', 'vault', 'frank', 'read');
  items = [
    rollback('rb-public0001', ['acme/web', 'acme/api'], sb.baseUrl),
    rollback('rb-private001', ['acme/vault'], sb.baseUrl, { summary: '<script>alert(1)</script>' }),
  ];
}, 600_000);
afterAll(async () => {
  sb.expectNoViolations();
  await sb.close();
});

// Each case drives a real sandbox: minutes on a loaded machine, not vitest's 60 s default.
describe('/rollbacks behind GitHub sign-in', { timeout: 300_000 }, () => {
  it('sends a visitor to GitHub with a state cookie, checks the state on return, and shows each person only what they can read', async () => {
    const { clientId, clientSecret } = oauthClientOf(sb.app);
    const { url, server } = await serveDashboard({ auth: 'github', client: { clientId, clientSecret }, webUrl: sb.baseUrl, apiUrl: sb.baseUrl });
    try {
      const start = await fetch(`${url}/rollbacks`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const location = new URL(start.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(`${sb.baseUrl}/login/oauth/authorize`);
      expect(location.searchParams.get('client_id')).toBe(clientId);
      expect(location.searchParams.get('redirect_uri')).toBe(`${url}/rollbacks/callback`);
      expect(location.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const stateCookie = cookieOf(start, 'unwind_oauth_state')!;
      expect(stateCookie).toMatch(new RegExp(`^unwind_oauth_state=${location.searchParams.get('state')}\\.\\d+\\.[A-Za-z0-9_-]{43}; Path=/rollbacks; HttpOnly; SameSite=Lax; Max-Age=600$`));

      // A callback whose state is not the one in the cookie (a forged or replayed link) opens no session.
      const forged = await fetch(`${url}/rollbacks/callback?code=abc&state=someone-elses`, { redirect: 'manual', headers: { cookie: stateCookie.split(';')[0] } });
      expect(forged.status).toBe(400);
      expect(cookieOf(forged, 'unwind_session')).toBeUndefined();
      const noCookie = await fetch(`${url}/rollbacks/callback?code=abc&state=${location.searchParams.get('state')}`, { redirect: 'manual' });
      expect(noCookie.status).toBe(400);

      // erin reads acme/web and acme/api (public) but not acme/vault.
      const erin = await signIn(url, 'erin');
      const page = await fetch(`${url}/rollbacks`, { headers: { cookie: erin } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('Signed in with GitHub as <strong>erin</strong>');
      expect(html).toContain('id="rb-public0001"');
      expect(html).not.toContain('rb-private001');
      expect(html).not.toContain('acme/vault');
      expect(html).toContain('1 other rollback(s) involve repositories you cannot read');

      // frank reads acme/vault too, and sees both; the summary from GitHub stays text.
      const frank = await signIn(url, 'frank');
      const both = await (await fetch(`${url}/rollbacks`, { headers: { cookie: frank } })).text();
      expect(both).toContain('id="rb-public0001"');
      expect(both).toContain('id="rb-private001"');
      expect(both).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(both).not.toContain('<script>');

      // A session cookie that was tampered with counts as none.
      const tampered = erin.replace(/^unwind_session=[A-Za-z0-9_-]{4}/, 'unwind_session=AAAA');
      expect((await fetch(`${url}/rollbacks`, { redirect: 'manual', headers: { cookie: tampered } })).status).toBe(302);

      // Signing out ends the session on the server, whatever the browser keeps.
      const out = await fetch(`${url}/rollbacks/sign-out`, { method: 'POST', headers: { cookie: erin } });
      expect(out.status).toBe(200);
      expect(cookieOf(out, 'unwind_session')).toMatch(/Max-Age=0/);
      expect((await fetch(`${url}/rollbacks`, { redirect: 'manual', headers: { cookie: erin } })).status).toBe(302);
      expect((await fetch(`${url}/rollbacks`, { redirect: 'manual', headers: { cookie: frank } })).status).toBe(200);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('marks cookies Secure behind https, shows everything with sign-in off (and says so), and refuses everyone when sign-in is not configured', async () => {
    const { clientId, clientSecret } = oauthClientOf(sb.app);
    const https = await serveDashboard({ auth: 'github', client: { clientId, clientSecret }, webUrl: sb.baseUrl, apiUrl: sb.baseUrl, publicUrl: 'https://unwind.example.com' });
    const off = await serveDashboard({ auth: 'off' });
    const unset = await serveDashboard({ auth: 'github', client: null, webUrl: sb.baseUrl, apiUrl: sb.baseUrl });
    try {
      const start = await fetch(`${https.url}/rollbacks`, { redirect: 'manual' });
      expect(new URL(start.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://unwind.example.com/rollbacks/callback');
      expect(cookieOf(start, 'unwind_oauth_state')).toContain('; Secure');

      const open = await fetch(`${off.url}/rollbacks`);
      expect(open.status).toBe(200);
      const html = await open.text();
      expect(html).toContain('Sign-in is off (<code>UNWIND_DASHBOARD_AUTH=off</code>)');
      expect(html).toContain('id="rb-private001"');

      const closed = await fetch(`${unset.url}/rollbacks`, { redirect: 'manual' });
      expect(closed.status).toBe(503);
      const text = await closed.text();
      expect(text).toContain('GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET');
      expect(text).not.toContain('rb-');
    } finally {
      for (const s of [https, off, unset]) {
        s.server.close();
        s.server.closeAllConnections();
      }
    }
  });
});

describe('the rollbacks page', () => {
  it('lists every wave with its steps, states and working links', () => {
    const base = 'https://github.example';
    const item = rollback('rb-waves00001', ['acme/web', 'acme/api', 'acme/billing'], base, { status: 'running', wave: 1 });
    item.state.steps[2] = step('acme/billing', 2, 'planned', null, base);
    const html = renderRollbacksPage([item], new Date('2026-01-01T00:00:00Z'));
    expect(html.match(/<tr class="wave">/g)).toHaveLength(3);
    expect(html).toContain('Wave 3 of 3');
    expect(html).toContain('<tr class="step" data-repo="acme/web"><td><a href="https://github.example/acme/web">acme/web</a></td><td>revert</td><td class="status verified">verified</td><td><a href="https://github.example/acme/web/pull/3">#3</a>');
    expect(html).toContain('<td class="status planned">planned</td><td></td>');
    expect(html).toContain('href="https://github.example/acme/web/issues/2"');
    expect(repositoriesOf(item)).toEqual(['acme/api', 'acme/billing', 'acme/web']);
    const waiting = rollback('rb-wait000001', ['acme/billing'], base, { status: 'awaiting_approval' });
    waiting.state.decision = { ...waiting.state.decision, allow: false, pending: true, approvalsRequired: 1, approverTeams: ['sre'] };
    expect(renderRollbacksPage([waiting], new Date())).toContain('<div class="status awaiting_approval" id="rb-wait000001-waiting">waiting for 1 approval(s) from team sre: <code>/rollback approve</code> on the tracking issue</div>');
    // Only http(s) links: a tracking URL someone edited into javascript: is not a link.
    const evil = rollback('rb-evil000001', ['acme/web'], base);
    evil.state.tracking.url = 'javascript:alert(1)';
    expect(renderRollbacksPage([evil], new Date())).not.toContain('javascript:');
  });
});

describe('dashboard settings', () => {
  it('reads UNWIND_DASHBOARD_AUTH, the client credentials and the public URL, and names what is wrong', () => {
    expect(readDashboardEnv({}, 'https://api.github.com')).toEqual({ ok: true, settings: { auth: 'github', client: null, webUrl: 'https://github.com', apiUrl: 'https://api.github.com' } });
    expect(readDashboardEnv({ UNWIND_DASHBOARD_AUTH: 'off' }, 'https://api.github.com')).toEqual({ ok: true, settings: { auth: 'off' } });
    expect(readDashboardEnv({ GITHUB_CLIENT_ID: 'Iv1.a', GITHUB_CLIENT_SECRET: 's', UNWIND_PUBLIC_URL: 'https://unwind.example.com/' }, 'https://ghe.example.com/api/v3')).toEqual({
      ok: true, settings: { auth: 'github', client: { clientId: 'Iv1.a', clientSecret: 's' }, webUrl: 'https://ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3', publicUrl: 'https://unwind.example.com' },
    });
    const bad = readDashboardEnv({ UNWIND_DASHBOARD_AUTH: 'maybe', GITHUB_CLIENT_ID: 'Iv1.a', UNWIND_PUBLIC_URL: 'ftp://x' }, 'https://api.github.com');
    expect(bad.ok ? [] : bad.problems.map((p) => p.split(' ')[0])).toEqual(['UNWIND_DASHBOARD_AUTH', 'GITHUB_CLIENT_SECRET', 'UNWIND_PUBLIC_URL']);
    expect(webUrlOf('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
  });
});
