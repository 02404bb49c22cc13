import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { ProbotOctokit } from 'probot';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { outcome } from './support/http-outcome.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

describe('fault injection', () => {
  let sb: TestSandbox;
  let w: World;
  let plain: Octokit;
  const o = { owner: 'acme', repo: 'web' };
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
    plain = new Octokit({ baseUrl: sb.baseUrl, auth: w.alice.token, log: quiet });
  });
  beforeEach(() => sb.driver.setFaults({}));
  afterAll(() => sb.close());

  it('latencyMs delays every REST answer', async () => {
    sb.driver.setFaults({ latencyMs: 120 });
    const t = Date.now();
    await plain.rest.repos.get(o);
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });

  it('error5xxEvery fails every Nth call with a 5xx; errorRate5xx is seeded and deterministic', async () => {
    sb.driver.setFaults({ error5xxEvery: 3 });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await outcome(plain.rest.repos.get(o))).status);
    expect(statuses).toEqual([200, 200, 502, 200, 200, 502]);
    const run = async (): Promise<number[]> => {
      sb.driver.setFaults({ errorRate5xx: 0.5, seed: 42 });
      const out = [];
      for (let i = 0; i < 12; i++) out.push((await outcome(plain.rest.repos.get(o))).status);
      return out;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a).toContain(502);
    expect(a).toContain(200);
  });

  it('a GraphQL request answered by an injected 5xx is GitHub\'s 502, not a request the REST description lacks', async () => {
    sb.driver.setFaults({ error5xxEvery: 1 });
    const before = sb.violations().length;
    const res = await outcome(plain.request('POST /graphql', { query: '{ viewer { login } }' }));
    expect(res.status).toBe(502);
    expect(sb.violations().slice(before)).toEqual([]);
  });

  it('primaryRateLimit answers 403 with x-ratelimit-remaining 0 until the reset time', async () => {
    sb.driver.setFaults({ primaryRateLimit: { afterRequests: 2, resetInSeconds: 1 } });
    expect((await outcome(plain.rest.repos.get(o))).status).toBe(200);
    expect((await outcome(plain.rest.repos.get(o))).status).toBe(200);
    const limited = await outcome(plain.rest.repos.get(o));
    expect(limited.status).toBe(403);
    expect(limited.message).toMatch(/^API rate limit exceeded for user ID \d+\.$/);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(limited.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    await new Promise((r) => setTimeout(r, (reset + 1) * 1000 - Date.now()));
    expect((await outcome(plain.rest.repos.get(o))).status).toBe(200);
  });

  it('secondaryRateLimit answers 403 with GitHub\'s message and retry-after; Probot\'s Octokit surfaces it', async () => {
    sb.driver.setFaults({ secondaryRateLimit: { every: 2, retryAfterSeconds: 7 } });
    const Probotish = ProbotOctokit.defaults((opts: Record<string, unknown>) => ({
      ...opts,
      retry: { enabled: false },
      throttle: { ...(opts.throttle as object), enabled: false },
    }));
    const octo = new Probotish({ auth: { token: w.alice.token }, baseUrl: sb.baseUrl, log: quiet });
    expect((await outcome(octo.rest.repos.get(o))).status).toBe(200);
    const limited = await outcome(octo.rest.repos.get(o));
    expect(limited.status).toBe(403);
    expect(limited.message).toBe('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.');
    expect(limited.headers['retry-after']).toBe('7');
  });

  it('mergeableNullReads hides mergeability for K reads after each change', async () => {
    sb.driver.setFaults({ mergeableNullReads: 2 });
    await sb.driver.commit('acme', 'web', { branch: 'slow', files: { 's.txt': 's\n' }, message: 's', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'slow', title: 'slow' });
    await sb.idle();
    const reads = [];
    for (let i = 0; i < 3; i++) reads.push((await w.app.rest.pulls.get({ ...o, pull_number: n })).data.mergeable);
    expect(reads).toEqual([null, null, true]);
    await sb.driver.commit('acme', 'web', { branch: 'slow', files: { 's.txt': 't\n' }, message: 't', author: 'alice' });
    await sb.idle();
    const again = (await w.app.rest.pulls.get({ ...o, pull_number: n })).data;
    expect([again.mergeable, again.mergeable_state]).toEqual([null, 'unknown']);
  });

  it('Octokit\'s throttling plugin retries a primary rate limit after the reset', async () => {
    sb.driver.setFaults({ primaryRateLimit: { afterRequests: 1, resetInSeconds: 1 } });
    const Throttled = ProbotOctokit.defaults((opts: Record<string, unknown>) => ({
      ...opts,
      retry: { enabled: false },
      throttle: { ...(opts.throttle as object), onRateLimit: () => true, onSecondaryRateLimit: () => false },
    }));
    const octo = new Throttled({ auth: { token: w.alice.token }, baseUrl: sb.baseUrl, log: quiet });
    await octo.rest.repos.get(o);
    const t = Date.now();
    const r = await octo.rest.repos.get(o);
    expect(r.status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(900);
  });
});
