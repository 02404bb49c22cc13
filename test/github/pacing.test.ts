/**
 * Pacing by GitHub's published secondary limits: the budget's sliding windows (in this process and shared
 * through a real redis-server), the pacer honouring `retry-after`, and conditional polls, against the
 * sandbox in realistic mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProbotOctokit } from 'probot';
import { createAppAuth } from '@octokit/auth-app';
import { LocalBudget, type Budget } from '../../src/github/pacing/budget.ts';
import { ConditionalCache } from '../../src/github/pacing/conditional-cache.ts';
import { GITHUB_LIMITS, type PacingLimits } from '../../src/github/pacing/limits.ts';
import { leastTimeForWrites } from '../../src/github/pacing/least-time.ts';
import { pacingPlugin } from '../../src/github/pacing/octokit-pacing.ts';
import { limitAnswerWait, Pacer } from '../../src/github/pacing/pacer.ts';
import { RedisBudget } from '../../src/github/pacing/redis-budget.ts';
import { requestCost } from '../../src/github/pacing/request-cost.ts';
import { useRealisticLimits } from '../../src/sandbox/http/secondary-limits.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';
import { setupWorld, type World } from '../sandbox/support/world.ts';

const small: PacingLimits = { ...GITHUB_LIMITS, contentPerMinute: 3, contentPerHour: 5, restPointsPerMinute: 20, concurrency: 2, minuteMs: 1000, hourMs: 10_000, marginMs: 0 };
const content = requestCost('POST', '/repos/{owner}/{repo}/issues');
const read = requestCost('GET', '/repos/{owner}/{repo}');

describe('request cost', () => {
  it('counts 1 point for reads, 5 for writes, content for notification-triggering writes, every GraphQL mutation as content', () => {
    expect(read).toEqual({ points: 1, graphql: false, content: false });
    expect(content).toEqual({ points: 5, graphql: false, content: true });
    expect(requestCost('PUT', '/repos/a/b/pulls/4/merge').content).toBe(true);
    expect(requestCost('POST', '/api/v3/repos/a/b/issues/4/comments').content).toBe(true);
    expect(requestCost('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}')).toEqual({ points: 5, graphql: false, content: false });
    expect(requestCost('POST', '/graphql', 'mutation($id: ID!) { revertPullRequest(input: {pullRequestId: $id}) { clientMutationId } }')).toEqual({ points: 5, graphql: true, content: true });
    expect(requestCost('POST', '/graphql', '# a comment\nquery { viewer { login } }')).toEqual({ points: 1, graphql: true, content: false });
  });

  it('computes the least time the limits allow for a set of writes', () => {
    expect(leastTimeForWrites({ content: 24, points: 120 }, GITHUB_LIMITS)).toBe(0);
    expect(leastTimeForWrites({ content: 81, points: 405 }, GITHUB_LIMITS)).toBe(60_000);
    expect(leastTimeForWrites({ content: 501, points: 0 }, GITHUB_LIMITS)).toBe(3_600_000);
    expect(leastTimeForWrites({ content: 0, points: 1801 }, GITHUB_LIMITS)).toBe(120_000);
  });
});

/** The same behaviour, whatever keeps the budget. */
function budgetBehaviour(name: string, make: () => Budget) {
  describe(name, () => {
    it('lets a burst use a whole window, then says how long until the oldest spending leaves it', async () => {
      const b = make();
      const key = `k-${Math.random()}`;
      for (let i = 0; i < 3; i++) {
        const r = await b.take(key, content);
        expect(r.granted).toBe(true);
        if (r.granted) await r.grant.release();
      }
      const refused = await b.take(key, content);
      expect(refused).toMatchObject({ granted: false, reason: 'content-minute' });
      if (!refused.granted) expect(refused.waitMs).toBeGreaterThan(0);
      if (!refused.granted) expect(refused.waitMs).toBeLessThanOrEqual(1000);
      // Points: 15 spent, 5 more fit, a 6th read does not.
      for (let i = 0; i < 5; i++) {
        const r = await b.take(key, read);
        expect(r.granted).toBe(true);
        if (r.granted) await r.grant.release();
      }
      expect(await b.take(key, read)).toMatchObject({ granted: false, reason: 'rest-points' });
      // Once the window has moved on, content is admitted again, until the hour's 5 are spent.
      await new Promise((r) => setTimeout(r, 1100));
      for (let i = 0; i < 2; i++) {
        const r = await b.take(key, content);
        expect(r.granted).toBe(true);
        if (r.granted) await r.grant.release();
      }
      await new Promise((r) => setTimeout(r, 1100));
      const hour = await b.take(key, content);
      expect(hour).toMatchObject({ granted: false, reason: 'content-hour' });
      if (!hour.granted) expect(hour.waitMs).toBeGreaterThan(7000);
      await b.close();
    });

    it('admits at most `concurrency` requests in flight, and honours a pause', async () => {
      const b = make();
      const key = `k-${Math.random()}`;
      const one = await b.take(key, read);
      const two = await b.take(key, read);
      expect(one.granted && two.granted).toBe(true);
      expect(await b.take(key, read)).toMatchObject({ granted: false, reason: 'concurrency' });
      if (one.granted) await one.grant.release();
      const three = await b.take(key, read);
      expect(three.granted).toBe(true);
      if (three.granted) await three.grant.release();
      if (two.granted) await two.grant.release();
      await b.pause(key, 500);
      const paused = await b.take(key, read);
      expect(paused).toMatchObject({ granted: false, reason: 'paused' });
      if (!paused.granted) expect(paused.waitMs).toBeLessThanOrEqual(500);
      // Another installation has a budget of its own.
      expect((await b.take(`${key}-other`, read)).granted).toBe(true);
      await b.close();
    });
  });
}

budgetBehaviour('local budget', () => new LocalBudget(small));

describe('budget shared through Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  budgetBehaviour('redis budget', () => new RedisBudget(redis.url, small, 'test'));

  it('is one budget for every replica', async () => {
    const a = new RedisBudget(redis.url, small, 'shared');
    const b = new RedisBudget(redis.url, small, 'shared');
    for (const replica of [a, b, a]) {
      const r = await replica.take('installation:1', content);
      expect(r.granted).toBe(true);
      if (r.granted) await r.grant.release();
    }
    expect(await b.take('installation:1', content)).toMatchObject({ granted: false, reason: 'content-minute' });
    await a.pause('installation:2', 400);
    expect(await b.take('installation:2', read)).toMatchObject({ granted: false, reason: 'paused' });
    await a.close();
    await b.close();
  });

  it('falls back to this process\'s budget when Redis cannot be reached, and says so', async () => {
    const dead = await startRedisServer();
    const url = dead.url;
    await dead.stop();
    const warnings: unknown[] = [];
    const b = new RedisBudget(url, small, 'down', (err) => warnings.push(err));
    const r = await b.take('installation:1', read);
    expect(r.granted).toBe(true);
    expect(warnings).toHaveLength(1);
    await b.close();
  });
});

describe('pacer', () => {
  const secondary = (retryAfter?: string) =>
    Object.assign(new Error('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'), {
      status: 403,
      response: { headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } },
    });

  it('reads how long GitHub asks to wait', () => {
    expect(limitAnswerWait(secondary('3'), 0)).toBe(3000);
    expect(limitAnswerWait(secondary(), 0)).toBe(60_000);
    expect(limitAnswerWait(Object.assign(new Error('API rate limit exceeded for installation ID 1.'), { status: 403, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' } } }), 90_000)).toBe(11_000);
    expect(limitAnswerWait(Object.assign(new Error('Resource not accessible by integration'), { status: 403, response: { headers: {} } }), 0)).toBeNull();
    expect(limitAnswerWait(Object.assign(new Error('Not Found'), { status: 404 }), 0)).toBeNull();
  });

  it('sends a refused request again after retry-after, once, pausing the installation meanwhile', async () => {
    const budget = new LocalBudget(GITHUB_LIMITS);
    const pacer = new Pacer(budget);
    let sent = 0;
    const t0 = Date.now();
    const result = await pacer.run('installation:9', content, 'POST /repos/{owner}/{repo}/issues', async () => {
      sent += 1;
      if (sent === 1) throw secondary('1');
      return 'created';
    });
    expect(result).toBe('created');
    expect(sent).toBe(2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(pacer.stats()).toMatchObject({ limitAnswers: 1, waits: { paused: { count: 1 } } });
  });

  it('gives up with GitHub\'s answer on an error that is not a rate limit', async () => {
    const pacer = new Pacer(new LocalBudget(GITHUB_LIMITS));
    const notFound = Object.assign(new Error('Not Found'), { status: 404 });
    await expect(pacer.run('installation:9', read, 'GET /x', async () => Promise.reject(notFound))).rejects.toBe(notFound);
  });
});

describe('pacing against the sandbox in realistic mode', () => {
  let sb: TestSandbox;
  let w: World;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
  });
  afterAll(async () => {
    useRealisticLimits(sb, null);
    await sb.close();
  });

  const client = (pacer: Pacer | null, conditional: ConditionalCache | null) => {
    const O = ProbotOctokit.plugin(pacingPlugin as never).defaults((o: Record<string, unknown>) => ({ ...o, throttle: { enabled: false }, retry: { enabled: false }, pacing: pacer, conditional }));
    return new O({ baseUrl: sb.baseUrl, authStrategy: createAppAuth, auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem, installationId: w.inst } });
  };

  it('spreads a burst of content creation over the windows with no secondary-limit answer', async () => {
    const limiter = useRealisticLimits(sb, { contentPerMinute: 3, minuteMs: 1000 });
    const pacer = new Pacer(new LocalBudget({ ...GITHUB_LIMITS, contentPerMinute: 3, minuteMs: 1000, marginMs: 100 }));
    const octokit = client(pacer, null);
    const t0 = Date.now();
    const created = await Promise.all(Array.from({ length: 7 }, (_, i) => octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'web', title: `burst ${i}` })));
    expect(created.map((c) => c.status)).toEqual(Array(7).fill(201));
    expect(new Set(created.map((c) => (c.data as { number: number }).number)).size).toBe(7);
    // 3 at once, 3 a window later, the last a window after that.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect({ answers: limiter.answers(), stats: pacer.stats() }).toMatchObject({ answers: { 'content-minute': 0, 'rest-points': 0, concurrency: 0 } });
    expect(pacer.stats().waits['content-minute']?.count).toBeGreaterThan(0);
  });

  it('after GitHub refuses content creation, sends the refused burst single file at the pace GitHub allows, each request once', async () => {
    // The sandbox allows 2 content requests a second; the pacer believes GitHub's published 80 a minute.
    const limiter = useRealisticLimits(sb, { contentPerMinute: 2, minuteMs: 1000 });
    const pacer = new Pacer(new LocalBudget(GITHUB_LIMITS));
    const octokit = client(pacer, null);
    const issue = await sb.driver.createIssue('alice', 'acme', 'web', { title: 'a busy issue' });
    const t0 = Date.now();
    const created = await Promise.all(Array.from({ length: 8 }, (_, i) => octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'web', issue_number: issue, body: `single file ${i}` })));
    const elapsed = Date.now() - t0;
    const refused = limiter.answers()['content-minute'];
    useRealisticLimits(sb, null);
    expect(created.map((c) => c.status)).toEqual(Array(8).fill(201));
    // Each issue exactly once: nothing lost, nothing repeated.
    const bodies = sb.driver.listComments('acme', 'web', issue).map((c) => c.body).sort();
    expect(bodies).toEqual(Array.from({ length: 8 }, (_, i) => `single file ${i}`).sort());
    expect(refused).toBeGreaterThan(0);
    expect(pacer.stats().limitAnswers).toBe(refused);
    // Single file after the first refusals: the 8 need 4 windows (3 s after the first); refusals stay few
    // (a burst that kept waking together, each refusal doubling the pause, took minutes and was refused dozens of times).
    expect(refused).toBeLessThanOrEqual(6 + 4);
    // About 3 s on a quiet machine; the bound only catches pauses that keep growing.
    expect(elapsed).toBeLessThan(60_000);
  }, 120_000);

  it('answers a repeated poll from the ETag: the sandbox sends 304 and the same data comes back', async () => {
    useRealisticLimits(sb, null);
    const number = await sb.driver.openPull('alice', 'acme', 'web', { head: 'main', base: 'main', title: 'x' }).catch(() => null);
    const cache = new ConditionalCache();
    const octokit = client(null, cache);
    const issue = number ?? 1;
    sb.resetRequestStats();
    const route = 'GET /repos/{owner}/{repo}/commits/{ref}/status';
    const first = await octokit.request(route, { owner: 'acme', repo: 'web', ref: 'main' });
    const second = await octokit.request(route, { owner: 'acme', repo: 'web', ref: 'main' });
    expect(second.data).toEqual(first.data);
    expect(cache.hits()).toBe(1);
    expect(sb.requestStats().notModified).toBe(1);
    // A route that is not polled goes out unconditionally.
    await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'acme', repo: 'web', issue_number: issue }).catch(() => undefined);
    await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', { owner: 'acme', repo: 'web', issue_number: issue }).catch(() => undefined);
    expect(sb.requestStats().notModified).toBe(1);
  });
});
