/**
 * The Octokit adapter against the real sandbox in strict mode (every request and response checked against
 * GitHub's OpenAPI description): every port method, with zero contract violations.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstallationOctokit } from '../../src/github/create-octokit.ts';
import { GitHubError } from '../../src/github/errors.ts';
import { createOctokitPort } from '../../src/github/octokit-adapter.ts';
import type { GitHubPort, RepoRef } from '../../src/github/port.ts';
import { auditParams, exportLedger } from '../../src/cli/commands/audit.ts';
import { renderLedgerComment } from '../../src/ledger/entry.ts';
import { sampleEntry } from '../ledger/arbitraries.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';

const web: RepoRef = { owner: 'acme', repo: 'web' };
const missing: RepoRef = { owner: 'acme', repo: 'nope' };
let sandbox: TestSandbox;
let port: GitHubPort;
let mainSha: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ port: 0 });
  const d = sandbox.driver;
  await d.createOrg('acme');
  await d.createUser('alice');
  await d.createUser('bob');
  await d.createUser('carol');
  await d.createTeam('acme', 'sre', ['alice']);
  await d.createRepo('acme', 'web', {
    files: { 'README.md': 'hello\n', '.github/unwind.yml': 'service: web\n', 'docs/a.txt': 'a\n', 'unwind/policies/base.rego': 'package unwind\n' },
    allowRebaseMerge: false,
  });
  await d.addCollaborator('acme', 'web', 'alice', 'write');
  await d.addCollaborator('acme', 'web', 'bob', 'triage');
  const installationId = await d.installApp('acme', { repositories: 'all' });
  port = createOctokitPort(createInstallationOctokit({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, installationId, baseUrl: sandbox.baseUrl }));
  mainSha = (await port.getBranchSha(web, 'main')) ?? '';
});

afterAll(async () => {
  await sandbox?.close();
});

describe('repositories, contents and branches', () => {
  it('getRepo', async () => {
    const repo = await port.getRepo(web);
    expect(repo).toMatchObject({ owner: 'acme', repo: 'web', defaultBranch: 'main', allowMergeCommit: true, allowSquashMerge: true, allowRebaseMerge: false });
    expect(repo?.cloneUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acme\/web\.git$/);
    expect(await port.getRepo(missing)).toBeNull();
  });

  it('getFile returns the text and the blob sha git computes', async () => {
    const file = await port.getFile(web, '.github/unwind.yml');
    expect(file?.text).toBe('service: web\n');
    const blob = execFileSync('git', ['--git-dir', sandbox.driver.repoPath('acme', 'web'), 'rev-parse', 'main:.github/unwind.yml'], { encoding: 'utf8' }).trim();
    expect(file?.blobSha).toBe(blob);
    expect(await port.getFile(web, 'absent.txt')).toBeNull();
    expect(await port.getFile(web, 'README.md', 'no-such-branch')).toBeNull();
    expect(await port.getFile(missing, 'README.md')).toBeNull();
  });

  it('listDirectory', async () => {
    expect(await port.listDirectory(web, '.github')).toEqual([{ name: 'unwind.yml', path: '.github/unwind.yml', type: 'file' }]);
    expect(await port.listDirectory(web, 'unwind')).toEqual([{ name: 'policies', path: 'unwind/policies', type: 'dir' }]);
    expect(await port.listDirectory(web, 'README.md')).toBeNull();
    expect(await port.listDirectory(web, 'nothing-here')).toBeNull();
  });

  it('getBranchSha and deleteBranch (idempotent)', async () => {
    expect(mainSha).toMatch(/^[0-9a-f]{40}$/);
    const sha = await sandbox.driver.commit('acme', 'web', { branch: 'temp', files: { 't.txt': 't\n' }, message: 'temp' });
    expect(await port.getBranchSha(web, 'temp')).toBe(sha);
    await port.deleteBranch(web, 'temp');
    expect(await port.getBranchSha(web, 'temp')).toBeNull();
    await expect(port.deleteBranch(web, 'temp')).resolves.toBeUndefined();
    expect(await port.getBranchSha(web, 'does-not-exist')).toBeNull();
  });
});

describe('pull requests, merges and commits', () => {
  let featureSha: string;
  let number: number;

  it('getPull and listPulls for a pull request opened by a person', async () => {
    featureSha = await sandbox.driver.commit('acme', 'web', { branch: 'feature', files: { 'feature.txt': 'f\n', 'docs/a.txt': 'a2\n' }, message: 'Add feature' });
    number = await sandbox.driver.openPull('alice', 'acme', 'web', { head: 'feature', title: 'Add feature', body: 'Depends-On: acme/api#1' });
    const pull = await port.getPull(web, number);
    expect(pull).toMatchObject({ number, title: 'Add feature', body: 'Depends-On: acme/api#1', state: 'open', merged: false, headRef: 'feature', headSha: featureSha, baseRef: 'main' });
    expect(pull?.user).toEqual({ login: 'alice', type: 'User' });
    expect((await port.listPulls(web, { head: 'feature' })).map((p) => p.number)).toEqual([number]);
    expect((await port.listPulls(web, { head: 'acme:feature', state: 'all' })).map((p) => p.number)).toEqual([number]);
    expect(await port.listPulls(web, { head: 'other' })).toEqual([]);
    expect(await port.getPull(web, 9999)).toBeNull();
  });

  it('createPull, updatePull, requestReviewers and the duplicate-PR 422', async () => {
    await sandbox.driver.commit('acme', 'web', { branch: 'unwind/rb-test0001/1', files: { 'r.txt': 'r\n' }, message: 'Revert' });
    const created = await port.createPull(web, { title: 'Revert "x"', head: 'unwind/rb-test0001/1', base: 'main', body: 'Rollback-Id: rb-test0001' });
    expect(created).toMatchObject({ title: 'Revert "x"', state: 'open', headRef: 'unwind/rb-test0001/1' });
    expect(created.user.type).toBe('Bot');
    const dup = await port.createPull(web, { title: 'again', head: 'unwind/rb-test0001/1', base: 'main', body: '' }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(GitHubError);
    expect((dup as GitHubError).status).toBe(422);
    expect((dup as GitHubError).message).toMatch(/already exists/);
    const updated = await port.updatePull(web, created.number, { title: 'Revert "y"', body: 'new body' });
    expect(updated).toMatchObject({ title: 'Revert "y"', body: 'new body' });
    await port.requestReviewers(web, created.number, { users: ['alice'] });
    await port.requestReviewers(web, created.number, {});
    const closed = await port.updatePull(web, created.number, { state: 'closed' });
    expect(closed.state).toBe('closed');
  });

  it('listChecks combines check runs and statuses, latest per name', async () => {
    await sandbox.driver.reportCheck('acme', 'web', featureSha, { name: 'ci', via: 'check_run', result: 'pending' });
    await sandbox.driver.reportCheck('acme', 'web', featureSha, { name: 'deploy', via: 'status', result: 'failure' });
    let checks = await port.listChecks(web, featureSha);
    expect(checks.find((c) => c.name === 'ci' && c.source === 'check_run')?.state).toBe('pending');
    expect(checks.find((c) => c.name === 'deploy' && c.source === 'status')?.state).toBe('failure');
    await sandbox.driver.reportCheck('acme', 'web', featureSha, { name: 'ci', via: 'check_run', result: 'success' });
    await sandbox.driver.reportCheck('acme', 'web', featureSha, { name: 'deploy', via: 'status', result: 'success' });
    checks = await port.listChecks(web, featureSha);
    expect(checks.filter((c) => c.name === 'ci' || c.name === 'deploy').map((c) => [c.name, c.source, c.state])).toEqual([
      ['ci', 'check_run', 'success'],
      ['deploy', 'status', 'success'],
    ]);
    expect(await port.listChecks(web, mainSha)).toEqual([]);
  });

  it('getRequiredChecks: null when unprotected, the contexts when protected', async () => {
    expect(await port.getRequiredChecks(web, 'main')).toBeNull();
    await sandbox.driver.setProtection('acme', 'web', 'main', { requiredChecks: ['ci', 'build'], strict: false });
    const required = await port.getRequiredChecks(web, 'main');
    expect(required?.strict).toBe(false);
    expect([...(required?.contexts ?? [])].sort()).toEqual(['build', 'ci']);
  });

  it('mergePull maps 405 and 409, then merges', async () => {
    const blocked = await port.mergePull(web, number, { method: 'merge' });
    expect(blocked).toMatchObject({ kind: 'not_mergeable', retryable: false });
    await sandbox.driver.setProtection('acme', 'web', 'main', null);
    const notAllowed = await port.mergePull(web, number, { method: 'rebase' });
    expect(notAllowed).toMatchObject({ kind: 'not_mergeable', retryable: false });
    const stale = await port.mergePull(web, number, { method: 'merge', sha: mainSha });
    expect(stale.kind).toBe('head_modified');
    const merged = await port.mergePull(web, number, { method: 'merge', sha: featureSha, title: 'Merge feature' });
    expect(merged.kind).toBe('merged');
    if (merged.kind !== 'merged') return;
    expect(await port.getBranchSha(web, 'main')).toBe(merged.sha);
    const pull = await port.getPull(web, number);
    expect(pull).toMatchObject({ merged: true, state: 'closed', mergeCommitSha: merged.sha });

    const commit = await port.getCommit(web, merged.sha);
    expect(commit?.parents).toEqual([mainSha, featureSha]);
    expect([...(commit?.files ?? [])].sort()).toEqual(['docs/a.txt', 'feature.txt']);
    expect(commit?.message).toMatch(/Merge feature/);
    expect(await port.getCommit(web, 'f'.repeat(40))).toBeNull();

    const pulls = await port.listPullsForCommit(web, merged.sha);
    expect(pulls.map((p) => p.number)).toContain(number);
    expect(pulls.find((p) => p.number === number)?.merged).toBe(true);
  });
});

describe('workflows, permissions and teams', () => {
  it('listWorkflowRuns and dispatchWorkflow', async () => {
    await sandbox.driver.setWorkflow('acme', 'web', 'deploy.yml', { result: 'success', name: 'Deploy' });
    await port.dispatchWorkflow(web, 'deploy.yml', 'main', { flag: 'off' });
    await sandbox.idle();
    const runs = await port.listWorkflowRuns(web, { workflow: 'deploy.yml' });
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.name === 'Deploy')).toBe(true);
    expect(await port.listWorkflowRuns(web, { workflow: 'other.yml' })).toEqual([]);
  });

  it('getPermission maps roles and 404 → none', async () => {
    expect(await port.getPermission(web, 'alice')).toBe('write');
    expect(await port.getPermission(web, 'bob')).toBe('read');
    expect(await port.getPermission(web, 'carol')).toBe('none');
    expect(await port.getPermission(web, 'no-such-user')).toBe('none');
  });

  it('isTeamMember', async () => {
    expect(await port.isTeamMember('acme', 'sre', 'alice')).toBe(true);
    expect(await port.isTeamMember('acme', 'sre', 'bob')).toBe(false);
    expect(await port.isTeamMember('acme', 'no-team', 'alice')).toBe(false);
  });
});

describe('issues, labels, comments and reactions', () => {
  it('creates, reads, lists, updates and labels issues', async () => {
    const issue = await port.createIssue(web, { title: 'Rollback rb-test0001: web', body: 'plan', labels: ['unwind:rollback'] });
    expect(issue).toMatchObject({ title: 'Rollback rb-test0001: web', body: 'plan', state: 'open', labels: ['unwind:rollback'], isPullRequest: false });
    expect(await port.getIssue(web, issue.number)).toEqual(issue);
    await port.addLabels(web, issue.number, ['unwind:escalated']);
    expect((await port.getIssue(web, issue.number))?.labels).toEqual(expect.arrayContaining(['unwind:rollback', 'unwind:escalated']));
    const listed = await port.listIssues(web, { labels: ['unwind:rollback'], state: 'open' });
    expect(listed.map((i) => i.number)).toEqual([issue.number]);
    const updated = await port.updateIssue(web, issue.number, { body: 'done', state: 'closed' });
    expect(updated).toMatchObject({ body: 'done', state: 'closed' });
    expect(await port.listIssues(web, { labels: ['unwind:rollback'] })).toEqual([]);
    expect(await port.getIssue(web, 99999)).toBeNull();
  });

  it('lists every comment across pages, creates, updates and reacts', async () => {
    const issueNumber = await sandbox.driver.createIssue('alice', 'acme', 'web', { title: 'Incident' });
    for (let i = 0; i < 105; i++) await sandbox.driver.comment('alice', 'acme', 'web', issueNumber, `comment ${i}`);
    const mine = await port.createComment(web, issueNumber, 'ledger entry');
    expect(mine.user.type).toBe('Bot');
    const comments = await port.listComments(web, issueNumber);
    expect(comments).toHaveLength(106);
    expect(comments[0]).toMatchObject({ body: 'comment 0', user: { login: 'alice', type: 'User' } });
    expect(comments.at(-1)?.id).toBe(mine.id);
    const edited = await port.updateComment(web, mine.id, 'ledger entry (edited)');
    expect(edited.body).toBe('ledger entry (edited)');
    await port.addReaction(web, comments[0].id, 'eyes');
    await port.addReaction(web, comments[0].id, 'eyes');
  });
});

describe('unwind audit against the sandbox', () => {
  it('exports the app’s ledger comments with a person’s token, ignoring forged ones', async () => {
    const issue = await port.createIssue(web, { title: 'Rollback rb-audit0001: web', body: 'plan', labels: ['unwind:rollback'] });
    for (const seq of [2, 0, 1]) await port.createComment(web, issue.number, renderLedgerComment(sampleEntry({ rollback_id: 'rb-audit0001', seq }), `step ${seq}`));
    await sandbox.driver.comment('alice', 'acme', 'web', issue.number, renderLedgerComment(sampleEntry({ rollback_id: 'rb-audit0001', seq: 3, actor: 'alice' }), 'forged'));
    const dave = await sandbox.driver.createUser('dave');
    await sandbox.driver.addCollaborator('acme', 'web', 'dave', 'read');
    const params = auditParams({ repo: 'acme/web', issue: String(issue.number), baseUrl: sandbox.baseUrl }, { GITHUB_TOKEN: dave.token });
    const { text, count } = await exportLedger(params);
    expect(count).toBe(3);
    expect(text.trimEnd().split('\n').map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([0, 1, 2]);
  });
});

describe('contract', () => {
  it('produced no OpenAPI violations', () => {
    sandbox.expectNoViolations();
  });
});
