import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRunState, combineChecks, statusState } from '../../src/github/combine-checks.ts';
import { toPermission } from '../../src/github/check-methods.ts';
import { GitHubError } from '../../src/github/errors.ts';
import { gitBlobSha } from '../../src/github/git-blob-sha.ts';
import { matchesWorkflow, toIssue, toPull, toUser } from '../../src/github/map-objects.ts';
import { refusedMergeOutcome } from '../../src/github/merge-outcome.ts';
import { toGitHubError } from '../../src/github/to-github-error.ts';
import type { WireCheckRun, WireStatus, WireWorkflowRun } from '../../src/github/wire.ts';

describe('check states', () => {
  it.each([
    ['queued', null, 'pending'],
    ['in_progress', null, 'pending'],
    ['waiting', null, 'pending'],
    ['completed', 'success', 'success'],
    ['completed', 'neutral', 'success'],
    ['completed', 'skipped', 'success'],
    ['completed', 'failure', 'failure'],
    ['completed', 'cancelled', 'failure'],
    ['completed', 'timed_out', 'failure'],
    ['completed', 'action_required', 'failure'],
    ['completed', 'stale', 'failure'],
  ] as const)('check run %s/%s → %s', (status, conclusion, state) => {
    expect(checkRunState({ status, conclusion })).toBe(state);
  });

  it.each([
    ['success', 'success'],
    ['pending', 'pending'],
    ['failure', 'failure'],
    ['error', 'failure'],
  ] as const)('status %s → %s', (s, state) => {
    expect(statusState(s)).toBe(state);
  });

  it('keeps the latest run per name and the latest status per context, sorted', () => {
    const runs: WireCheckRun[] = [
      { id: 1, name: 'ci', status: 'completed', conclusion: 'failure', started_at: '2025-01-01T00:00:00Z', html_url: 'https://x/1' },
      { id: 2, name: 'ci', status: 'in_progress', conclusion: null, started_at: '2025-01-01T00:05:00Z', html_url: 'https://x/2' },
      { id: 3, name: 'lint', status: 'completed', conclusion: 'success', started_at: null, details_url: 'https://d/3' },
    ];
    const statuses: WireStatus[] = [
      { id: 10, context: 'deploy', state: 'pending', target_url: null, updated_at: '2025-01-01T00:00:00Z' },
      { id: 11, context: 'deploy', state: 'error', target_url: 'https://s/11', updated_at: '2025-01-01T00:01:00Z' },
      { id: 12, context: 'ci', state: 'success', target_url: null, updated_at: '2025-01-01T00:00:00Z' },
    ];
    expect(combineChecks(runs, statuses)).toEqual([
      { name: 'ci', state: 'pending', source: 'check_run', url: 'https://x/2', id: 2 },
      { name: 'ci', state: 'success', source: 'status', url: null, id: 12 },
      { name: 'deploy', state: 'failure', source: 'status', url: 'https://s/11', id: 11 },
      { name: 'lint', state: 'success', source: 'check_run', url: 'https://d/3', id: 3 },
    ]);
    expect(combineChecks([], [])).toEqual([]);
  });
});

describe('refusedMergeOutcome', () => {
  it.each([
    [405, 'Pull Request is not mergeable', true, { kind: 'not_mergeable', message: 'Pull Request is not mergeable', retryable: true }],
    [405, 'Pull Request is not mergeable', false, { kind: 'not_mergeable', message: 'Pull Request is not mergeable', retryable: false }],
    [405, 'Base branch was modified. Review and try the merge again.', false, { kind: 'not_mergeable', message: 'Base branch was modified. Review and try the merge again.', retryable: true }],
    [405, 'Required status check "ci" is expected.', false, { kind: 'not_mergeable', message: 'Required status check "ci" is expected.', retryable: false }],
    [405, 'Merge commits are not allowed on this repository.', true, { kind: 'not_mergeable', message: 'Merge commits are not allowed on this repository.', retryable: false }],
    [409, 'Head branch was modified. Review and try the merge again.', false, { kind: 'head_modified', message: 'Head branch was modified. Review and try the merge again.' }],
    [422, 'Validation Failed', false, null],
    [403, 'Resource not accessible by integration', false, null],
  ] as const)('%i %s (computing=%s)', (status, message, computing, expected) => {
    expect(refusedMergeOutcome(status, message, computing)).toEqual(expected);
  });
});

describe('toGitHubError', () => {
  it('uses GitHub’s message and the 422 error details, never the request', () => {
    const err = Object.assign(new Error('Validation Failed - https://docs.github.com'), {
      status: 422,
      request: { headers: { authorization: 'token ghs_SECRET' } },
      response: { data: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists for acme:b.' }] } },
    });
    const converted = toGitHubError(err, 'POST', '/repos/{owner}/{repo}/pulls');
    expect(converted).toBeInstanceOf(GitHubError);
    expect(converted.status).toBe(422);
    expect(converted.route).toBe('/repos/{owner}/{repo}/pulls');
    expect(converted.githubMessage).toBe('Validation Failed: A pull request already exists for acme:b.');
    expect(converted.message).toBe('GitHub POST /repos/{owner}/{repo}/pulls answered 422: Validation Failed: A pull request already exists for acme:b.');
    expect(JSON.stringify({ ...converted, m: converted.message })).not.toContain('SECRET');
  });

  it('turns a network failure into status 0 and keeps existing GitHubErrors', () => {
    const converted = toGitHubError(new TypeError('fetch failed'), 'GET', '/repos/{owner}/{repo}');
    expect(converted.status).toBe(0);
    expect(converted.message).toMatch(/before GitHub answered \(fetch failed\)/);
    const same = new GitHubError(404, 'GET', '/x', 'Not Found');
    expect(toGitHubError(same, 'GET', '/y')).toBe(same);
  });
});

describe('object mappings', () => {
  it('maps users, defaulting deleted accounts to ghost', () => {
    expect(toUser(null)).toEqual({ login: 'ghost', type: 'User' });
    expect(toUser({ login: 'unwind[bot]', type: 'Bot' })).toEqual({ login: 'unwind[bot]', type: 'Bot' });
    expect(toUser({ login: 'm', type: 'Mannequin' })).toEqual({ login: 'm', type: 'User' });
  });

  it('derives `merged` from merged_at for simple pull requests', () => {
    const simple = {
      number: 3,
      title: 't',
      body: null,
      state: 'closed',
      merged_at: '2025-01-01T00:00:00Z',
      merge_commit_sha: 'abc',
      head: { ref: 'f', sha: '1' },
      base: { ref: 'main' },
      user: { login: 'a', type: 'User' },
      html_url: 'https://x',
    };
    const pull = toPull({ owner: 'o', repo: 'r' }, simple);
    expect(pull).toMatchObject({ merged: true, body: '', mergeable: null, mergeableState: 'unknown', state: 'closed' });
  });

  it('maps labels in either form and detects pull requests', () => {
    const issue = toIssue({ owner: 'o', repo: 'r' }, { number: 1, title: 't', state: 'open', labels: ['a', { name: 'b' }, {}], html_url: 'h', pull_request: {} });
    expect(issue.labels).toEqual(['a', 'b']);
    expect(issue.isPullRequest).toBe(true);
  });

  it('matches workflow runs by file, path, id or name', () => {
    const run: WireWorkflowRun = { id: 1, name: 'Deploy', path: '.github/workflows/deploy.yml', workflow_id: 77, status: 'completed', conclusion: 'success', head_sha: 'a', html_url: 'h', created_at: 'c' };
    for (const w of ['deploy.yml', '.github/workflows/deploy.yml', '77', 'Deploy']) expect(matchesWorkflow(run, w)).toBe(true);
    for (const w of ['ploy.yml', '78', 'deploy']) expect(matchesWorkflow(run, w)).toBe(false);
  });

  it('maps legacy permissions', () => {
    expect(['admin', 'maintain', 'write', 'triage', 'read', 'none', undefined].map(toPermission)).toEqual(['admin', 'write', 'write', 'read', 'read', 'none', 'none']);
  });
});

describe('gitBlobSha', () => {
  it('equals git hash-object', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unwind-blob-'));
    try {
      const content = 'service: web\nowners: [\"@acme/sre\"]\n\u00e9\n';
      const file = join(dir, 'f');
      writeFileSync(file, content);
      const expected = execFileSync('git', ['hash-object', file], { encoding: 'utf8' }).trim();
      expect(gitBlobSha(Buffer.from(content, 'utf8'))).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
