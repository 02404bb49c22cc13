import { beforeAll, describe, expect, it } from 'vitest';
import { createContractChecker, type ContractChecker, type Violation } from '../../../src/sandbox/contract/checker.ts';

let checker: ContractChecker;
beforeAll(() => {
  checker = createContractChecker();
});

const none = new URLSearchParams();
const messages = (vs: Violation[]) => vs.map((v) => v.message);

describe('route', () => {
  it.each([
    ['GET', '/repos/o/r/contents/.github%2Funwind.yml', 'repos/get-content', { owner: 'o', repo: 'r', path: '.github/unwind.yml' }],
    ['GET', '/repos/o/r/contents/docs/a%20b.md', 'repos/get-content', { owner: 'o', repo: 'r', path: 'docs/a b.md' }],
    ['GET', '/repos/o/r/commits/feature%2Fx/status', 'repos/get-combined-status-for-ref', { owner: 'o', repo: 'r', ref: 'feature/x' }],
    ['GET', '/repos/o/r/commits/feature/x/status', 'repos/get-combined-status-for-ref', { owner: 'o', repo: 'r', ref: 'feature/x' }],
    ['GET', '/repos/o/r/pulls/comments', 'pulls/list-review-comments-for-repo', { owner: 'o', repo: 'r' }],
    ['GET', '/repos/o/r/pulls/12', 'pulls/get', { owner: 'o', repo: 'r', pull_number: '12' }],
    ['GET', '/repos/o/r/commits/abc123/check-runs', 'checks/list-for-ref', { owner: 'o', repo: 'r', ref: 'abc123' }],
    ['GET', '/repos/o/r/commits/abc123', 'repos/get-commit', { owner: 'o', repo: 'r', ref: 'abc123' }],
    ['GET', '/repos/o/r/compare/main...feat/x', 'repos/compare-commits-with-basehead', { owner: 'o', repo: 'r', basehead: 'main...feat/x' }],
    ['DELETE', '/repos/o/r/git/refs/heads/revert/1', 'git/delete-ref', { owner: 'o', repo: 'r', ref: 'heads/revert/1' }],
    ['put', '/repos/o/r/pulls/3/merge', 'pulls/merge', { owner: 'o', repo: 'r', pull_number: '3' }],
    ['POST', '/app/installations/42/access_tokens', 'apps/create-installation-access-token', { installation_id: '42' }],
  ])('%s %s → %s', (method, path, operationId, params) => {
    const match = checker.route(method, path);
    expect(match).toMatchObject({ operationId, params, method: method.toUpperCase() });
  });

  it('returns the template it matched', () => {
    expect(checker.route('GET', '/repos/o/r/branches/release/2.x/protection/required_status_checks')).toEqual({
      operationId: 'repos/get-status-checks-protection',
      template: '/repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks',
      method: 'GET',
      params: { owner: 'o', repo: 'r', branch: 'release/2.x' },
    });
  });

  it('does not match unknown endpoints, wrong methods or one-segment params spanning segments', () => {
    expect(checker.route('GET', '/nope')).toBeNull();
    expect(checker.route('PATCH', '/app')).toBeNull();
    expect(checker.route('GET', '/repos/o/r/pulls/1/2/3/4')).toBeNull();
  });
});

describe('checkRequest', () => {
  it('accepts a well-formed pulls/create', () => {
    const body = { title: 'Revert', head: 'revert-1', base: 'main', body: 'why', draft: false };
    expect(checker.checkRequest({ method: 'POST', path: '/repos/o/r/pulls', query: none, body })).toEqual([]);
  });

  it('reports pulls/create without base', () => {
    const vs = checker.checkRequest({ method: 'POST', path: '/repos/o/r/pulls', query: none, body: { title: 't', head: 'h' } });
    expect(vs).toEqual([
      { kind: 'request', where: 'POST /repos/{owner}/{repo}/pulls (pulls/create) request', message: "body must have required property 'base'" },
    ]);
  });

  it('reports an invalid merge_method as an enum error naming the allowed values', () => {
    const vs = checker.checkRequest({ method: 'PUT', path: '/repos/o/r/pulls/3/merge', query: none, body: { merge_method: 'fast-forward' } });
    expect(messages(vs)).toEqual(['body/merge_method must be one of: "merge", "squash", "rebase" (got "fast-forward")']);
  });

  it('reports a non-integer pull number', () => {
    const vs = checker.checkRequest({ method: 'GET', path: '/repos/o/r/pulls/abc', query: none, body: undefined });
    expect(messages(vs)).toEqual(['path parameter pull_number must be integer (got "abc")']);
    expect(vs[0].where).toBe('GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get) request');
  });

  it('flags undocumented query params but coerces and accepts documented ones', () => {
    const ok = new URLSearchParams('state=open&head=o:revert-1&per_page=100&page=2');
    expect(checker.checkRequest({ method: 'GET', path: '/repos/o/r/pulls', query: ok, body: undefined })).toEqual([]);
    const bad = new URLSearchParams('per_page=lots&sort=sideways&colour=blue');
    expect(messages(checker.checkRequest({ method: 'GET', path: '/repos/o/r/pulls', query: bad, body: undefined })).sort()).toEqual([
      "query parameter 'colour' is not documented for this operation",
      'query parameter per_page must be integer (got "lots")',
      'query parameter sort must be one of: "created", "updated", "popularity", "long-running" (got "sideways")',
    ]);
    // per_page is documented for pulls/list but not for pulls/get
    const single = checker.checkRequest({ method: 'GET', path: '/repos/o/r/pulls/1', query: new URLSearchParams('per_page=5'), body: undefined });
    expect(messages(single)).toEqual(["query parameter 'per_page' is not documented for this operation"]);
  });

  it('checks a required body even when it is absent, and flags bodies sent to operations that take none', () => {
    const reaction = checker.checkRequest({ method: 'POST', path: '/repos/o/r/issues/comments/5/reactions', query: none, body: undefined });
    expect(messages(reaction)).toEqual(["body must have required property 'content'"]);
    // pulls/merge has an optional body: absent is fine
    expect(checker.checkRequest({ method: 'PUT', path: '/repos/o/r/pulls/3/merge', query: none, body: undefined })).toEqual([]);
    const get = checker.checkRequest({ method: 'GET', path: '/repos/o/r', query: none, body: { x: 1 } });
    expect(messages(get)).toEqual(['a request body was sent, but this operation takes none']);
  });

  it('explains a failed oneOf by the closest alternative instead of listing all of them', () => {
    const vs = checker.checkRequest({ method: 'POST', path: '/repos/o/r/issues/1/labels', query: none, body: { labels: [3] } });
    expect(messages(vs)).toEqual(['body/labels/0 must be string or object (got 3)']);
  });

  it('reports an unknown endpoint once', () => {
    expect(checker.checkRequest({ method: 'GET', path: '/repos/o/r/teleport', query: none, body: undefined })).toEqual([
      {
        kind: 'unknown-endpoint',
        where: 'GET /repos/o/r/teleport',
        message: "no operation in GitHub's OpenAPI description matches GET /repos/o/r/teleport (GitHub answers 404)",
      },
    ]);
  });
});
