/**
 * Answers the sandbox does not produce (or produces only under faults), driven through a scripted Octokit stand-in:
 * each route answers with a fixed status, as Octokit's RequestError would carry it.
 */
import { describe, expect, it } from 'vitest';
import { GitHubError } from '../../src/github/errors.ts';
import { createOctokitPort } from '../../src/github/octokit-adapter.ts';
import type { OctokitLike, OctokitResponseLike } from '../../src/github/octokit-like.ts';

type Answer = { status: number; data: unknown };

function scripted(answers: Record<string, Answer>): { octokit: OctokitLike; calls: string[] } {
  const calls: string[] = [];
  const answer = (route: string): OctokitResponseLike => {
    calls.push(route);
    const a = answers[route];
    if (a === undefined) throw new Error(`unscripted route ${route}`);
    if (a.status >= 400) {
      throw Object.assign(new Error(`HttpError ${a.status}`), {
        status: a.status,
        request: { headers: { authorization: 'token ghs_NEVER_SHOWN' } },
        response: { status: a.status, data: a.data },
      });
    }
    return { status: a.status, data: a.data, headers: {} };
  };
  return {
    calls,
    octokit: {
      request: async (route) => answer(route),
      paginate: async (route) => answer(route).data as unknown[],
    },
  };
}

const ref = { owner: 'o', repo: 'r' };
const pull = (mergeable: boolean | null) => ({
  number: 1,
  title: 't',
  body: null,
  state: 'open',
  merged: false,
  merged_at: null,
  merge_commit_sha: null,
  head: { ref: 'h', sha: 'a' },
  base: { ref: 'main' },
  user: { login: 'u', type: 'User' },
  html_url: 'https://x',
  mergeable,
  mergeable_state: mergeable === null ? 'unknown' : 'dirty',
});

describe('absent answers', () => {
  it('maps 422 unknown commit and 409 empty repository to no pull requests, 422 commit to null', async () => {
    for (const status of [404, 409, 422]) {
      const { octokit } = scripted({ 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls': { status, data: { message: 'No commit found' } } });
      expect(await createOctokitPort(octokit).listPullsForCommit(ref, 'abc')).toEqual([]);
    }
    const { octokit } = scripted({ 'GET /repos/{owner}/{repo}/commits/{ref}': { status: 422, data: { message: 'No commit found for SHA: abc' } } });
    expect(await createOctokitPort(octokit).getCommit(ref, 'abc')).toBeNull();
  });

  it('maps a deleted issue (410) to null and treats a vanished branch as deleted', async () => {
    const { octokit } = scripted({
      'GET /repos/{owner}/{repo}/issues/{issue_number}': { status: 410, data: { message: 'This issue was deleted' } },
      'DELETE /repos/{owner}/{repo}/git/refs/{ref}': { status: 422, data: { message: 'Reference does not exist' } },
    });
    const port = createOctokitPort(octokit);
    expect(await port.getIssue(ref, 3)).toBeNull();
    await expect(port.deleteBranch(ref, 'gone')).resolves.toBeUndefined();
  });

  it('does not confuse a prefix match of git/ref with the branch', async () => {
    const { octokit } = scripted({ 'GET /repos/{owner}/{repo}/git/ref/{ref}': { status: 200, data: [{ ref: 'refs/heads/feature-1', object: { sha: 'x' } }] } });
    expect(await createOctokitPort(octokit).getBranchSha(ref, 'feature')).toBeNull();
  });
});

describe('mergePull', () => {
  it('a 405 "not mergeable" is retryable only while GitHub is still computing mergeability', async () => {
    for (const [mergeable, retryable] of [
      [null, true],
      [false, false],
    ] as const) {
      const { octokit, calls } = scripted({
        'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': { status: 405, data: { message: 'Pull Request is not mergeable' } },
        'GET /repos/{owner}/{repo}/pulls/{pull_number}': { status: 200, data: pull(mergeable) },
      });
      expect(await createOctokitPort(octokit).mergePull(ref, 1, { method: 'squash' })).toEqual({ kind: 'not_mergeable', message: 'Pull Request is not mergeable', retryable });
      expect(calls).toHaveLength(2);
    }
  });

  it('other refusals throw a GitHubError without the token', async () => {
    const { octokit } = scripted({ 'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge': { status: 403, data: { message: 'Resource not accessible by integration' } } });
    const err = await createOctokitPort(octokit).mergePull(ref, 1, { method: 'merge' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitHubError);
    expect(err).toMatchObject({ status: 403, method: 'PUT', route: '/repos/{owner}/{repo}/pulls/{pull_number}/merge' });
    expect(String((err as Error).message)).not.toContain('ghs_');
  });
});

describe('request parameters', () => {
  it('sends only owner and repo of a RepoInfo, and owner-qualifies a bare head', async () => {
    const seen: Array<Record<string, unknown> | undefined> = [];
    const octokit: OctokitLike = {
      request: async () => ({ status: 200, data: {}, headers: {} }),
      paginate: async (_route, params) => {
        seen.push(params);
        return [];
      },
    };
    const repoInfo = { owner: 'o', repo: 'r', defaultBranch: 'main', cloneUrl: 'c', htmlUrl: 'h', allowMergeCommit: true, allowSquashMerge: true, allowRebaseMerge: true };
    await createOctokitPort(octokit).listPulls(repoInfo, { head: 'unwind/rb-x/1', state: 'all' });
    expect(seen[0]).toEqual({ owner: 'o', repo: 'r', state: 'all', head: 'o:unwind/rb-x/1', per_page: 100 });
  });
});
