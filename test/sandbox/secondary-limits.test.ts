/**
 * Realistic mode: GitHub's published secondary limits (concurrency, REST points, content per minute and per
 * hour) answered as GitHub does, per installation, without effect; latency per request; off by default.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../src/sandbox/http/http-error.ts';
import type { Actor } from '../../src/sandbox/http/rest-types.ts';
import { costOf, PUBLISHED_LIMITS, SecondaryLimiter, useRealisticLimits } from '../../src/sandbox/http/secondary-limits.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { setupWorld, type World } from './support/world.ts';

describe('secondary limits (realistic mode)', () => {
  let sb: TestSandbox;
  let w: World;
  let token: string;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
    token = ((await w.app.auth({ type: 'installation' })) as { token: string }).token;
  });
  afterAll(async () => {
    useRealisticLimits(sb, null);
    await sb.close();
  });

  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; retryAfter: string | null; json: { message?: string; documentation_url?: string } }> => {
    const res = await fetch(`${sb.baseUrl}${path}`, {
      method,
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), json: text ? JSON.parse(text) : {} };
  };

  it('classifies requests: points by method, content-generating creations and merges, not ref updates or edits', () => {
    expect(costOf('GET', '/repos/a/b/pulls/1', null)).toEqual({ points: 1, graphql: false, content: false });
    expect(costOf('POST', '/repos/a/b/pulls', null)).toEqual({ points: 5, graphql: false, content: true });
    expect(costOf('POST', '/repos/a/b/issues/3/comments', null).content).toBe(true);
    expect(costOf('POST', '/repos/a/b/issues', null).content).toBe(true);
    expect(costOf('POST', '/repos/a/b/pulls/3/reviews', null).content).toBe(true);
    expect(costOf('PUT', '/repos/a/b/pulls/3/merge', null).content).toBe(true);
    expect(costOf('PATCH', '/repos/a/b/git/refs/heads/x', null)).toEqual({ points: 5, graphql: false, content: false });
    expect(costOf('POST', '/repos/a/b/git/refs', null).content).toBe(false);
    expect(costOf('PATCH', '/repos/a/b/issues/3', null).content).toBe(false);
    const mutation = Buffer.from(JSON.stringify({ query: 'mutation { revertPullRequest(input: {pullRequestId: "x"}) { clientMutationId } }' }));
    expect(costOf('POST', '/graphql', mutation)).toEqual({ points: 5, graphql: true, content: true });
    expect(costOf('POST', '/graphql', Buffer.from(JSON.stringify({ query: 'query { viewer { login } }' })))).toEqual({ points: 1, graphql: true, content: false });
  });

  it('is off by default: a burst far beyond the limits passes', async () => {
    useRealisticLimits(sb, null);
    const answers = await Promise.all(Array.from({ length: 30 }, () => call('GET', '/repos/acme/web')));
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
  });

  it('refuses REST points beyond the limit with 403, retry-after and GitHub\'s message, then admits again once the window moved', async () => {
    const limiter = useRealisticLimits(sb, { restPointsPerMinute: 7, minuteMs: 1500 });
    const first = await call('POST', '/repos/acme/web/issues', { title: 'costs 5' });
    expect(first.status).toBe(201);
    expect((await call('GET', '/repos/acme/web')).status).toBe(200);
    expect((await call('GET', '/repos/acme/web')).status).toBe(200);
    const refused = await call('GET', '/repos/acme/web');
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.');
    expect(refused.json.documentation_url).toContain('#about-secondary-rate-limits');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(limiter.answers()['rest-points']).toBe(1);
    // A refused write has no effect.
    const refusedWrite = await call('POST', '/repos/acme/web/issues', { title: 'refused' });
    expect(refusedWrite.status).toBe(403);
    expect(() => sb.driver.getIssue('acme', 'web', 2)).toThrow();
    await new Promise((r) => setTimeout(r, Number(refused.retryAfter) * 1000));
    expect((await call('GET', '/repos/acme/web')).status).toBe(200);
  });

  it('refuses content creation beyond the per-minute and the per-hour limit with the content message (429 when configured)', async () => {
    const limiter = useRealisticLimits(sb, { contentPerMinute: 2, contentPerHour: 3, minuteMs: 1000, hourMs: 60_000, status: 429 });
    expect((await call('POST', '/repos/acme/web/issues', { title: 'c1' })).status).toBe(201);
    expect((await call('POST', '/repos/acme/web/issues', { title: 'c2' })).status).toBe(201);
    // Not content: a ref creation goes through.
    const head = await call('GET', '/repos/acme/web/git/ref/heads/main');
    expect(head.status).toBe(200);
    const third = await call('POST', '/repos/acme/web/issues', { title: 'c3' });
    expect(third.status).toBe(429);
    expect(third.json.message).toBe('You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.');
    expect(limiter.answers()['content-minute']).toBe(1);
    await new Promise((r) => setTimeout(r, Number(third.retryAfter) * 1000));
    expect((await call('POST', '/repos/acme/web/issues', { title: 'c3 again' })).status).toBe(201);
    const fourth = await call('POST', '/repos/acme/web/issues/1/comments', { body: 'c4' });
    expect(fourth.status).toBe(429);
    expect(limiter.answers()['content-hour']).toBe(1);
    expect(Number(fourth.retryAfter)).toBeGreaterThan(30);
  });

  it('refuses GraphQL beyond its points like REST, and a refused GraphQL request is no OpenAPI contract violation', async () => {
    const limiter = useRealisticLimits(sb, { graphqlPointsPerMinute: 1, minuteMs: 60_000 });
    const query = { query: 'query { repository(owner: "acme", name: "web") { name } }' };
    expect((await call('POST', '/graphql', query)).status).toBe(200);
    const refused = await call('POST', '/graphql', query);
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.');
    expect(limiter.answers()['graphql-points']).toBe(1);
    // (It was checked against the OpenAPI description, where POST /graphql is unknown, and reported as a violation.)
    expect(sb.violations()).toEqual([]);
    useRealisticLimits(sb, null);
  });

  it('refuses requests beyond the concurrency limit while others are in flight, per client', () => {
    const limiter = new SecondaryLimiter();
    limiter.configure({ concurrency: 2 });
    const inst = (id: number) => ({ kind: 'installation', installation: { id }, token: {} }) as unknown as Actor;
    const read = costOf('GET', '/repos/a/b', null);
    const one = limiter.admit(inst(1), 't1', read);
    const two = limiter.admit(inst(1), 't1', read);
    let refusal: unknown;
    try {
      limiter.admit(inst(1), 't1', read);
    } catch (err) {
      refusal = err;
    }
    expect(refusal).toBeInstanceOf(HttpError);
    expect((refusal as HttpError).status).toBe(403);
    expect((refusal as HttpError).extra.headers?.['retry-after']).toBe('1');
    // Another installation has its own budget.
    limiter.admit(inst(2), 't2', read).release();
    one.release();
    limiter.admit(inst(1), 't1', read).release();
    two.release();
    expect(limiter.answers().concurrency).toBe(1);
  });

  it('adds a fixed latency to every request', async () => {
    useRealisticLimits(sb, { latencyMs: 120 });
    const t0 = performance.now();
    expect((await call('GET', '/repos/acme/web')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
    useRealisticLimits(sb, null);
  });

  it('uses GitHub\'s published figures by default', () => {
    expect(PUBLISHED_LIMITS).toMatchObject({ concurrency: 100, restPointsPerMinute: 900, contentPerMinute: 80, contentPerHour: 500, minuteMs: 60_000, hourMs: 3_600_000 });
  });
});
