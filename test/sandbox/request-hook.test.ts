import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import type { IncomingRequestInfo } from '../../src/sandbox/types.ts';
import { authedUrl, git } from './support/git-cli.ts';
import { failure } from './support/http-outcome.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

describe('sandbox.onRequest', () => {
  let sb: TestSandbox;
  let w: World;
  let token: string;
  let work: string;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
    const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl, log: quiet }).request });
    token = (await auth({ type: 'installation', installationId: w.inst })).token;
    work = mkdtempSync(join(tmpdir(), 'unwind-sbx-hook-'));
  });
  afterEach(() => sb.onRequest(null));
  afterAll(async () => {
    await sb.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('is awaited before the request is handled, then the request proceeds', async () => {
    const n = await sb.driver.createIssue('alice', 'acme', 'web', { title: 'hooked' });
    const order: string[] = [];
    sb.onRequest(async (req) => {
      if (req.method !== 'POST' || !/\/issues\/\d+\/comments$/.test(req.path)) return;
      order.push(`hook sees ${sb.driver.listComments('acme', 'web', n).length} comments`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      order.push('hook done');
    });
    const { data } = await w.app.rest.issues.createComment({ owner: 'acme', repo: 'web', issue_number: n, body: 'hello' });
    order.push('answered');
    expect(order).toEqual(['hook sees 0 comments', 'hook done', 'answered']);
    expect(sb.driver.listComments('acme', 'web', n).map((c) => c.id)).toEqual([data.id]);
  });

  it('tells the method, the path without /api/v3 or query, and the login behind the token', async () => {
    const seen: IncomingRequestInfo[] = [];
    sb.onRequest((req) => {
      seen.push(req);
    });
    await w.app.rest.repos.get({ owner: 'acme', repo: 'web' });
    await w.asAlice.rest.issues.listForRepo({ owner: 'acme', repo: 'web', per_page: 5 });
    await new Octokit({ baseUrl: `${sb.baseUrl}/api/v3`, log: quiet }).rest.repos.get({ owner: 'acme', repo: 'web' });
    await new Octokit({ baseUrl: sb.baseUrl, log: quiet, authStrategy: createAppAuth, auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem } }).rest.apps.getAuthenticated();
    await failure(new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: 'ghs_unknown' }).rest.repos.get({ owner: 'acme', repo: 'web' }));
    const rest = seen.filter((r) => !r.path.startsWith('/app/installations'));
    expect(rest).toEqual([
      { method: 'GET', path: '/repos/acme/web', actor: `${sb.app.slug}[bot]` },
      { method: 'GET', path: '/repos/acme/web/issues', actor: 'alice' },
      { method: 'GET', path: '/repos/acme/web', actor: null },
      { method: 'GET', path: '/app', actor: null },
      { method: 'GET', path: '/repos/acme/web', actor: null },
    ]);
  });

  it('sees git smart-HTTP requests, a push before its refs change', async () => {
    const dir = join(work, 'clone');
    await git(['clone', '--quiet', authedUrl(sb.baseUrl, token, 'acme', 'web'), dir]);
    await git(['checkout', '-q', '-b', 'hooked'], dir);
    writeFileSync(join(dir, 'hooked.txt'), 'hooked\n');
    await git(['add', 'hooked.txt'], dir);
    await git(['commit', '-q', '-m', 'hooked'], dir);
    const seen: IncomingRequestInfo[] = [];
    let branchAtHook: string | null = null;
    sb.onRequest(async (req) => {
      seen.push(req);
      if (req.path.endsWith('/git-receive-pack') && req.method === 'POST') {
        branchAtHook = (await git(['ls-remote', '--heads', join(sb.dir, 'repos', 'acme', 'web.git'), 'hooked'])).stdout;
      }
    });
    await git(['push', '-q', 'origin', 'hooked'], dir);
    expect(branchAtHook).toBe('');
    const bot = `${sb.app.slug}[bot]`;
    expect(seen.filter((r) => r.actor === bot).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /acme/web.git/info/refs', 'POST /acme/web.git/git-receive-pack']);
    expect((await git(['ls-remote', '--heads', 'origin', 'hooked'], dir)).stdout).toMatch(/refs\/heads\/hooked$/m);
  });

  it('can be cleared; a hook that throws answers the request with 500', async () => {
    let calls = 0;
    sb.onRequest(() => {
      calls += 1;
    });
    await w.app.rest.repos.get({ owner: 'acme', repo: 'web' });
    sb.onRequest(null);
    await w.app.rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(calls).toBe(1);
    sb.onRequest(() => {
      throw new Error('test hook failed');
    });
    expect(await failure(w.app.rest.repos.get({ owner: 'acme', repo: 'web' }))).toMatchObject({ status: 500 });
  });
});
