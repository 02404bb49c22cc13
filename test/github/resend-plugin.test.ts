import { describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { resendPlugin, type ResendOptions } from '../../src/github/resend-plugin.ts';

/** A GitHub stand-in that answers each request with the next of `answers` (status, body), and counts the requests. */
function scripted(answers: Array<[number, unknown]>) {
  const seen: string[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    seen.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    const [status, body] = answers[Math.min(seen.length - 1, answers.length - 1)];
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, seen };
}

const QUIET = { debug() {}, info() {}, warn() {}, error() {} };

function client(fetch: typeof globalThis.fetch, resend: ResendOptions) {
  const Resending = Octokit.plugin(resendPlugin as never);
  return new Resending({ auth: 'token', request: { fetch }, resend, log: QUIET } as never) as Octokit;
}

describe('resendPlugin', () => {
  it('sends a 5xx again, waiting base × n² before the n-th time, and returns the answer that came through', async () => {
    const waits: number[] = [];
    const github = scripted([[502, { message: 'Bad Gateway' }], [503, { message: 'Unavailable' }], [200, { full_name: 'o/r' }]]);
    const octokit = client(github.fetch, { baseMs: 10, sleep: async (ms) => void waits.push(ms) });
    const res = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' });
    expect(res.data).toEqual({ full_name: 'o/r' });
    expect(github.seen).toEqual(['GET /repos/o/r', 'GET /repos/o/r', 'GET /repos/o/r']);
    expect(waits).toEqual([10, 40]);
  });

  it('gives up after `retries` more tries with the last answer’s status', async () => {
    const waits: number[] = [];
    const github = scripted([[500, { message: 'boom' }]]);
    const octokit = client(github.fetch, { baseMs: 1, retries: 3, sleep: async (ms) => void waits.push(ms) });
    await expect(octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'o', repo: 'r', title: 't' })).rejects.toMatchObject({ status: 500 });
    expect(github.seen).toHaveLength(4);
    expect(waits).toEqual([1, 4, 9]);
  });

  it('never sends again what `doNotRetry` lists', async () => {
    const github = scripted([[409, { message: 'Conflict' }], [200, {}]]);
    const octokit = client(github.fetch, { baseMs: 1, doNotRetry: [404, 409], sleep: async () => undefined });
    await expect(octokit.request('PUT /repos/{owner}/{repo}/contents/{path}', { owner: 'o', repo: 'r', path: 'f', message: 'm', content: '' })).rejects.toMatchObject({ status: 409 });
    expect(github.seen).toHaveLength(1);
  });

  it('treats GraphQL’s “Something went wrong while executing your query” as a 500, and other GraphQL errors as answers', async () => {
    const wrong = scripted([[200, { data: null, errors: [{ message: 'Something went wrong while executing your query. Please try again.' }] }], [200, { data: { viewer: { login: 'bot' } } }]]);
    const octokit = client(wrong.fetch, { baseMs: 1, sleep: async () => undefined });
    const res = await octokit.request('POST /graphql', { query: '{ viewer { login } }' });
    expect(res.data).toEqual({ data: { viewer: { login: 'bot' } } });
    expect(wrong.seen).toHaveLength(2);

    const refused = scripted([[200, { data: null, errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a Repository' }] }]]);
    const once = client(refused.fetch, { baseMs: 1, sleep: async () => undefined });
    await once.request('POST /graphql', { query: '{ viewer { login } }' });
    expect(refused.seen).toHaveLength(1);
  });

  it('is off without options', async () => {
    const github = scripted([[502, { message: 'Bad Gateway' }], [200, {}]]);
    const Plain = Octokit.plugin(resendPlugin as never);
    const octokit = new Plain({ auth: 'token', request: { fetch: github.fetch }, log: QUIET }) as Octokit;
    await expect(octokit.request('GET /repos/{owner}/{repo}', { owner: 'o', repo: 'r' })).rejects.toMatchObject({ status: 502 });
    expect(github.seen).toHaveLength(1);
  });
});
