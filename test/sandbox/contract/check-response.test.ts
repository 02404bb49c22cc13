import { beforeAll, describe, expect, it } from 'vitest';
import { createContractChecker, type ContractChecker, type Violation } from '../../../src/sandbox/contract/checker.ts';
import { makePullRequest } from './fixtures/github-objects.ts';

let checker: ContractChecker;
beforeAll(() => {
  checker = createContractChecker();
});

const messages = (vs: Violation[]) => vs.map((v) => v.message);

function contentFile() {
  const self = 'http://127.0.0.1:8080/repos/octo/hello/contents/.github/unwind.yml?ref=main';
  return {
    type: 'file',
    encoding: 'base64',
    size: 6,
    name: 'unwind.yml',
    path: '.github/unwind.yml',
    content: Buffer.from('x: 1\n').toString('base64'),
    sha: 'c'.repeat(40),
    url: self,
    git_url: `http://127.0.0.1:8080/repos/octo/hello/git/blobs/${'c'.repeat(40)}`,
    html_url: 'http://127.0.0.1:8080/octo/hello/blob/main/.github/unwind.yml',
    download_url: 'http://127.0.0.1:8080/octo/hello/raw/main/.github/unwind.yml',
    _links: { self, git: null, html: null },
  };
}

describe('checkResponse: bodies', () => {
  it('accepts a hand-built pull request for pulls/get 200 and pulls/create 201', () => {
    expect(checker.checkResponse({ method: 'GET', path: '/repos/octo/hello/pulls/7', status: 200, body: makePullRequest(7) })).toEqual([]);
    expect(checker.checkResponse({ method: 'POST', path: '/repos/octo/hello/pulls', status: 201, body: makePullRequest(7) })).toEqual([]);
  });

  it('reports missing required fields, nested ones with their path', () => {
    const { head: _head, ...withoutHead } = makePullRequest(7);
    const pr = { ...withoutHead, user: { ...makePullRequest(7).user, login: undefined } };
    delete (pr.user as { login?: string }).login;
    const vs = checker.checkResponse({ method: 'GET', path: '/repos/octo/hello/pulls/7', status: 200, body: pr });
    expect(vs.map((v) => v.where)).toEqual([
      'GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get) response 200',
      'GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get) response 200',
    ]);
    expect(messages(vs).sort()).toEqual(["body must have required property 'head'", "body/user must have required property 'login'"]);
  });

  it('checks enums, formats and nullability', () => {
    const pr = { ...makePullRequest(7), state: 'merged', merged_by: null, mergeable: true, html_url: 'not a url', body: 5 };
    expect(messages(checker.checkResponse({ method: 'GET', path: '/repos/octo/hello/pulls/7', status: 200, body: pr })).sort()).toEqual([
      'body/body must be string,null (got 5)',
      'body/html_url must match format "uri" (got "not a url")',
      'body/state must be one of: "open", "closed" (got "merged")',
    ]);
  });

  it('picks the oneOf alternative named by the discriminator for contents', () => {
    expect(checker.checkResponse({ method: 'GET', path: '/repos/octo/hello/contents/.github%2Funwind.yml', status: 200, body: contentFile() })).toEqual([]);
    const { sha: _sha, ...noSha } = contentFile();
    expect(messages(checker.checkResponse({ method: 'GET', path: '/repos/octo/hello/contents/.github%2Funwind.yml', status: 200, body: noSha }))).toEqual([
      "body must match one of 4 alternatives (oneOf); closest is 'content-file':",
      "body must have required property 'sha'",
    ]);
  });
});

describe('checkResponse: statuses', () => {
  it('flags an undocumented status and lists the documented ones', () => {
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1', status: 418, body: { message: 'teapot' } })).toEqual([
      {
        kind: 'response',
        where: 'GET /repos/{owner}/{repo}/pulls/{pull_number} (pulls/get) response 418',
        message: 'status 418 is not documented (documented: 200, 304, 404, 406, 500, 503)',
      },
    ]);
    // 422 is documented for pulls/create but not for pulls/get
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1', status: 422, body: { message: 'x' } })).toHaveLength(1);
  });

  it('accepts a 404 with GitHub error body, documented or not', () => {
    const body = { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1', status: 404, body })).toEqual([]);
    // repos/get-branch-rules documents only 200; GitHub still answers 404 for an invisible repo
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/rules/branches/main', status: 404, body })).toEqual([]);
  });

  it('allows rate-limit and fault statuses anywhere, but still wants an error body on 4xx', () => {
    const limited = { message: 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com' };
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1', status: 429, body: limited })).toEqual([]);
    expect(checker.checkResponse({ method: 'POST', path: '/repos/o/r/issues/1/comments', status: 403, body: limited })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path: '/app', status: 401, body: { message: 'Bad credentials' } })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path: '/app', status: 502, body: '' })).toEqual([]);
    expect(messages(checker.checkResponse({ method: 'GET', path: '/app', status: 429, body: { documentation_url: 'x' } }))).toEqual([
      "body must have required property 'message' (GitHub's error body)",
    ]);
  });

  it('ignores 204 and 304 bodies', () => {
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1/merge', status: 204, body: 'anything' })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1', status: 304, body: undefined })).toEqual([]);
  });

  it('accepts GitHub\'s 409 error bodies for contents writes despite the spec\'s ambiguous oneOf', () => {
    const conflict = { message: 'a.txt does not match ' + 'a'.repeat(40), documentation_url: 'https://docs.github.com/rest', status: '409' };
    expect(checker.checkResponse({ method: 'PUT', path: '/repos/o/r/contents/a.txt', status: 409, body: conflict })).toEqual([]);
    expect(checker.checkResponse({ method: 'PUT', path: '/repos/o/r/contents/a.txt', status: 409, body: { message: 5 } }).length).toBeGreaterThan(0);
  });

  it('accepts an empty 304 on any GET, documented or not, and refuses one with a body or on a write', () => {
    // git/get-ref and repos/list-branches document no 304; GitHub answers conditional GETs with it anyway.
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/git/ref/heads/main', status: 304, body: undefined })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/branches', status: 304, body: '' })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r/contents/a.txt', status: 304, body: undefined })).toEqual([]);
    expect(messages(checker.checkResponse({ method: 'GET', path: '/repos/o/r/issues/1', status: 304, body: { message: 'x' } }))).toEqual([
      'a 304 Not Modified must have an empty body',
    ]);
    expect(checker.checkResponse({ method: 'PUT', path: '/repos/o/r/contents/a.txt', status: 304, body: undefined })[0].message).toMatch(/status 304 is not documented/);
  });

  it('reports responses to unknown endpoints unless they are 404', () => {
    expect(checker.checkResponse({ method: 'GET', path: '/nope', status: 404, body: { message: 'Not Found' } })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path: '/nope', status: 200, body: {} })[0].kind).toBe('unknown-endpoint');
  });
});

describe('checkResponse: raw and serialised bodies', () => {
  it('accepts raw contents as a string or Buffer, with or without a Content-Type', () => {
    const path = '/repos/octo/hello/contents/.github%2Funwind.yml';
    expect(checker.checkResponse({ method: 'GET', path, status: 200, body: 'x: 1\n' })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path, status: 200, body: Buffer.from('{"a":1}'), contentType: 'application/vnd.github.raw; charset=utf-8' })).toEqual([]);
    expect(checker.checkResponse({ method: 'GET', path, status: 200, body: 'a: [1\n', contentType: 'application/vnd.github.raw+json' })).toEqual([]);
    // …but raw media are only accepted where GitHub serves them, and a JSON object is still validated
    expect(checker.checkResponse({ method: 'GET', path: '/repos/o/r', status: 200, body: 'x: 1\n', contentType: 'application/vnd.github.raw' })).toHaveLength(1);
    expect(checker.checkResponse({ method: 'GET', path, status: 200, body: { type: 'file' }, contentType: 'application/vnd.github.raw+json' }).length).toBeGreaterThan(1);
  });

  it('accepts documented non-JSON media (a diff) and validates documented JSON ones', () => {
    const path = '/repos/o/r/commits/abc';
    expect(checker.checkResponse({ method: 'GET', path, status: 200, body: 'diff --git a/x b/x\n', contentType: 'application/vnd.github.diff' })).toEqual([]);
    expect(messages(checker.checkResponse({ method: 'GET', path, status: 200, body: '{"sha": 1}', contentType: 'application/json' }))[0]).toMatch(/^body/);
  });

  it('parses a serialised JSON body, and flags text where JSON is documented', () => {
    const path = '/repos/octo/hello/pulls';
    expect(checker.checkResponse({ method: 'POST', path, status: 201, body: JSON.stringify(makePullRequest(7)) })).toEqual([]);
    expect(messages(checker.checkResponse({ method: 'POST', path, status: 201, body: 'created!' }))).toEqual(['body is not JSON, but application/json is documented']);
    expect(messages(checker.checkResponse({ method: 'POST', path, status: 201, body: undefined }))).toEqual(['body is empty, but application/json is documented']);
    expect(messages(checker.checkResponse({ method: 'POST', path, status: 201, body: 'x', contentType: 'text/plain' }))).toEqual([
      'Content-Type text/plain is not documented (documented: application/json)',
    ]);
  });
});
