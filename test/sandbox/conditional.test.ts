import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

interface Answer {
  status: number;
  etag: string | null;
  remaining: number;
  used: number;
  body: string;
  headers: Headers;
}

describe('conditional requests (ETag, If-None-Match, 304) and request accounting', () => {
  let sb: TestSandbox;
  let w: World;
  let token: string;
  let issue: number;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
    token = ((await w.app.auth({ type: 'installation' })) as { token: string }).token;
    issue = await sb.driver.createIssue('alice', 'acme', 'web', { title: 'registry entry' });
  });
  afterAll(() => sb.close());

  async function get(path: string, opts: { etag?: string; accept?: string; auth?: string | null } = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: opts.accept ?? 'application/vnd.github+json' };
    const auth = opts.auth === undefined ? token : opts.auth;
    if (auth !== null) headers.authorization = `token ${auth}`;
    if (opts.etag) headers['if-none-match'] = opts.etag;
    const res = await fetch(`${sb.baseUrl}${path}`, { headers });
    return {
      status: res.status,
      etag: res.headers.get('etag'),
      remaining: Number(res.headers.get('x-ratelimit-remaining')),
      used: Number(res.headers.get('x-ratelimit-used')),
      body: await res.text(),
      headers: res.headers,
    };
  }

  const WEAK = /^W\/"[0-9a-f]{64}"$/;
  const STRONG = /^"[0-9a-f]{64}"$/;

  it('tags every GET with an ETag and answers a matching If-None-Match with an empty 304 that costs no rate limit', async () => {
    const paths = [
      '/repos/acme/web',
      '/repos/acme/web/contents/README.md',
      '/repos/acme/web/contents/src?ref=main',
      '/repos/acme/web/git/ref/heads/main',
      '/repos/acme/web/git/matching-refs/heads/',
      '/repos/acme/web/issues',
      `/repos/acme/web/issues/${issue}`,
      '/repos/acme/web/branches',
      '/repos/acme/web/branches/main',
      '/api/v3/repos/acme/web/pulls?state=all',
    ];
    for (const path of paths) {
      const first = await get(path);
      expect(first.status, path).toBe(200);
      expect(first.etag, path).toMatch(WEAK);
      expect(first.headers.get('cache-control'), path).toBe('private, max-age=60, s-maxage=60');
      const again = await get(path, { etag: first.etag ?? '' });
      expect([again.status, again.body, again.etag], path).toEqual([304, '', first.etag]);
      expect(again.headers.get('content-type'), path).toBeNull();
      expect([again.remaining, again.used], path).toEqual([first.remaining, first.used]);
      const third = await get(path);
      expect([third.status, third.etag, third.used], path).toEqual([200, first.etag, first.used + 1]);
    }
  });

  it('gives raw contents a strong ETag; JSON and raw of the same file differ; W/ and * match too', async () => {
    const raw = await get('/repos/acme/web/contents/README.md', { accept: 'application/vnd.github.raw' });
    expect(raw.etag).toMatch(STRONG);
    const json = await get('/repos/acme/web/contents/README.md');
    expect(json.etag).not.toBe(`W/${raw.etag}`);
    expect((await get('/repos/acme/web/contents/README.md', { accept: 'application/vnd.github.raw', etag: raw.etag ?? '' })).status).toBe(304);
    expect((await get('/repos/acme/web/contents/README.md', { accept: 'application/vnd.github.raw', etag: `W/${raw.etag}` })).status).toBe(304);
    expect((await get('/repos/acme/web/contents/README.md', { etag: `"nope", ${json.etag}` })).status).toBe(304);
    expect((await get('/repos/acme/web/contents/README.md', { etag: '*' })).status).toBe(304);
    expect((await get('/repos/acme/web/contents/README.md', { etag: '"nope"' })).status).toBe(200);
  });

  it('answers 200 with a new ETag once the resource changes, and never 304s an error', async () => {
    const file = await get('/repos/acme/web/contents/README.md');
    const ref = await get('/repos/acme/web/git/ref/heads/main');
    const one = await get(`/repos/acme/web/issues/${issue}`);
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { 'README.md': '# web, changed\n' }, message: 'change', author: 'bob' });
    await w.app.rest.issues.update({ owner: 'acme', repo: 'web', issue_number: issue, title: 'registry entry (renamed)' });
    for (const [path, before] of [['/repos/acme/web/contents/README.md', file], ['/repos/acme/web/git/ref/heads/main', ref], [`/repos/acme/web/issues/${issue}`, one]] as const) {
      const now = await get(path, { etag: before.etag ?? '' });
      expect(now.status, path).toBe(200);
      expect(now.etag, path).toMatch(WEAK);
      expect(now.etag, path).not.toBe(before.etag);
      expect(now.used, path).toBeGreaterThan(before.used); // a 200 is counted
    }
    const missing = await get('/repos/acme/web/contents/nope.txt', { etag: '*' });
    expect([missing.status, missing.etag]).toEqual([404, null]);
  });

  it('counts a 304 to an unauthenticated request, as GitHub does (only authorized 304s are free)', async () => {
    const first = await get('/repos/acme/web', { auth: null });
    expect(first.headers.get('cache-control')).toBe('public, max-age=60, s-maxage=60');
    const again = await get('/repos/acme/web', { auth: null, etag: first.etag ?? '' });
    expect(again.status).toBe(304);
    expect(again.used).toBe(first.used + 1);
  });

  it('Octokit throws a RequestError with status 304 (it does not resolve), with the ETag and unchanged rate headers', async () => {
    const o = { owner: 'acme', repo: 'web' };
    const first = await w.app.rest.repos.getContent({ ...o, path: 'README.md' });
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(WEAK);
    const err = (await w.app.rest.repos.getContent({ ...o, path: 'README.md', headers: { 'if-none-match': etag } }).catch((e: unknown) => e)) as {
      name: string;
      status: number;
      response: { headers: Record<string, string> };
    };
    expect(err.name).toBe('HttpError');
    expect(err.status).toBe(304);
    expect(err.response.headers.etag).toBe(etag);
    expect(err.response.headers['x-ratelimit-used']).toBe(first.headers['x-ratelimit-used']);
    // A user token works the same way.
    const alice = new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: w.alice.token });
    const ref = await alice.rest.git.getRef({ ...o, ref: 'heads/main' });
    const status = await alice.rest.git.getRef({ ...o, ref: 'heads/main', headers: { 'if-none-match': ref.headers.etag } }).catch((e: { status: number }) => e.status);
    expect(status).toBe(304);
  });

  it('requestStats() counts total, rate-limited and 304 requests per route, and resets', async () => {
    sb.resetRequestStats();
    expect(sb.requestStats()).toEqual({ total: 0, counted: 0, notModified: 0, byRoute: {} });
    const first = await get('/repos/acme/web/git/ref/heads/main');
    await get('/repos/acme/web/git/ref/heads/main', { etag: first.etag ?? '' });
    await get('/repos/acme/web/git/ref/heads/main', { etag: first.etag ?? '' });
    const repo = await get('/repos/acme/web', { auth: null });
    await get('/repos/acme/web', { auth: null, etag: repo.etag ?? '' });
    expect((await get('/repos/acme/nope')).status).toBe(404);
    const stats = sb.requestStats();
    expect(stats).toEqual({
      total: 6,
      counted: 4, // the two authorized 304s are free; the anonymous one is not
      notModified: 3,
      byRoute: {
        'GET /repos/{owner}/{repo}/git/ref/{ref}': { total: 3, counted: 1, notModified: 2 },
        'GET /repos/{owner}/{repo}': { total: 3, counted: 3, notModified: 1 },
      },
    });
    sb.resetRequestStats();
    expect(sb.requestStats().total).toBe(0);
  });
});
