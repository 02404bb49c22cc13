/**
 * The sandbox's `POST /graphql`: documents validated against GitHub's published schema, answered in GitHub's
 * shape, and the `revertPullRequest` mutation behaving like GitHub's "Revert" button (branch, commit, PR,
 * webhooks), including what it refuses.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { git } from './support/git-cli.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

const REVERT = `mutation Revert($id: ID!, $title: String, $body: String, $draft: Boolean) {
  revertPullRequest(input: {pullRequestId: $id, title: $title, body: $body, draft: $draft}) {
    pullRequest { id number state merged }
    revertPullRequest { id number title body state isDraft headRefName headRefOid baseRefName url author { __typename login } repository { nameWithOwner } }
  }
}`;

interface GqlAnswer {
  status: number;
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; type?: string; path?: unknown[]; locations?: unknown[]; extensions?: Record<string, unknown> }>;
}

async function gql(w: World, query: string, variables: Record<string, unknown> = {}): Promise<GqlAnswer> {
  const res = await w.app.request('POST /graphql', { query, variables });
  return { status: res.status, ...(res.data as object) };
}

async function fileOn(sb: TestSandbox, rev: string, path: string): Promise<string> {
  return (await git(['--git-dir', sb.driver.repoPath('acme', 'web'), 'show', `${rev}:${path}`])).stdout;
}

describe('POST /graphql: revertPullRequest', () => {
  let sb: TestSandbox;
  let w: World;
  let hooks: WebhookReceiver;
  const d = () => sb.driver;

  beforeAll(async () => {
    sb = await startTestSandbox();
    hooks = await startWebhookReceiver(sb.app.webhookSecret);
    sb.setWebhookUrl(hooks.url);
    w = await setupWorld(sb);
  });
  afterAll(async () => {
    await sb.close();
    await hooks.close();
  });

  async function mergedPr(branch: string, files: Record<string, string>, method: 'merge' | 'squash' | 'rebase' = 'merge', commits = 1): Promise<{ number: number; nodeId: string }> {
    for (let i = 0; i < commits; i++) {
      await d().commit('acme', 'web', { branch, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, `${v}${i}\n`])), message: `${branch} ${i}`, author: 'alice' });
    }
    const number = await d().openPull('alice', 'acme', 'web', { head: branch, title: `Change ${branch}` });
    await sb.idle();
    await d().mergePull('bob', 'acme', 'web', number, method);
    const rest = await w.app.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: number });
    return { number, nodeId: rest.data.node_id };
  }

  it('reverts a merge-commit PR: branch revert-<n>-<head>, one revert commit, a PR with GitHub\'s default title and body', async () => {
    const pr = await mergedPr('feat-a', { 'a.txt': 'a' });
    const before = (await git(['--git-dir', d().repoPath('acme', 'web'), 'rev-parse', 'main'])).stdout.trim();
    const answer = await gql(w, REVERT, { id: pr.nodeId });
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    const payload = answer.data!.revertPullRequest;
    expect(payload.pullRequest).toEqual({ id: pr.nodeId, number: pr.number, state: 'MERGED', merged: true });
    const revert = payload.revertPullRequest;
    expect(revert).toMatchObject({
      title: `Revert "Change feat-a"`,
      body: `Reverts acme/web#${pr.number}`,
      state: 'OPEN',
      isDraft: false,
      headRefName: `revert-${pr.number}-feat-a`,
      baseRefName: 'main',
      author: { __typename: 'Bot', login: sb.app.slug },
      repository: { nameWithOwner: 'acme/web' },
    });
    // The branch holds one commit on main's tip that takes the change out again.
    const log = (await git(['--git-dir', d().repoPath('acme', 'web'), 'log', '--format=%P%x09%s%x09%b', '-1', revert.headRefOid])).stdout;
    expect(log).toContain(before);
    expect(log).toContain(`Revert "Merge pull request #${pr.number}`);
    await expect(fileOn(sb, revert.headRefOid, 'a.txt')).rejects.toThrow();
    // REST sees the same PR (same node id), and the opened webhook went out like for a REST-created PR.
    const rest = await w.app.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: revert.number });
    expect(rest.data.node_id).toBe(revert.id);
    expect(rest.data.head.ref).toBe(`revert-${pr.number}-feat-a`);
    expect(rest.data.user?.login).toBe(`${sb.app.slug}[bot]`);
    const opened = await hooks.waitFor((h) => h.event === 'pull_request' && h.action === 'opened' && (h.payload.pull_request as { number: number }).number === revert.number);
    expect(opened.signatureValid).toBe(true);
    const pushed = await hooks.waitFor((h) => h.event === 'push' && h.payload.ref === `refs/heads/revert-${pr.number}-feat-a`);
    expect(pushed.payload.created).toBe(true);
  });

  it('takes the given title, body and draft; a squash merge reverts its one commit', async () => {
    const pr = await mergedPr('feat-b', { 'b.txt': 'b' }, 'squash');
    const answer = await gql(w, REVERT, { id: pr.nodeId, title: 'Roll back B', body: 'Rollback-Id: rb-x', draft: true });
    expect(answer.errors).toBeUndefined();
    const revert = answer.data!.revertPullRequest.revertPullRequest;
    expect(revert).toMatchObject({ title: 'Roll back B', body: 'Rollback-Id: rb-x', isDraft: true, headRefName: `revert-${pr.number}-feat-b` });
    await expect(fileOn(sb, revert.headRefOid, 'b.txt')).rejects.toThrow();
    expect(await fileOn(sb, revert.headRefOid, 'README.md')).toBe('# web\n');
  });

  it('reverts every commit a rebase merge landed, newest first; a second revert of the same PR gets a suffixed branch', async () => {
    const pr = await mergedPr('feat-c', { 'c.txt': 'c' }, 'rebase', 3);
    const first = await gql(w, REVERT, { id: pr.nodeId });
    expect(first.errors).toBeUndefined();
    const head = first.data!.revertPullRequest.revertPullRequest.headRefOid as string;
    await expect(fileOn(sb, head, 'c.txt')).rejects.toThrow();
    const subjects = (await git(['--git-dir', d().repoPath('acme', 'web'), 'log', '--format=%s', '-3', head])).stdout.trim().split('\n');
    expect(subjects).toEqual(['Revert "feat-c 0"', 'Revert "feat-c 1"', 'Revert "feat-c 2"']);
    const second = await gql(w, REVERT, { id: pr.nodeId });
    expect(second.errors).toBeUndefined();
    expect(second.data!.revertPullRequest.revertPullRequest.headRefName).toBe(`revert-${pr.number}-feat-c-1`);
  });

  it('resolves REST node ids with node(id:) and repository.pullRequest', async () => {
    const pr = await mergedPr('feat-d', { 'd.txt': 'd' });
    const q = `query($id: ID!) { node(id: $id) { __typename id ... on PullRequest { number mergeCommit { oid } } }
      repository(owner: "acme", name: "web") { pullRequest(number: ${pr.number}) { id headRefName } } }`;
    const answer = await gql(w, q, { id: pr.nodeId });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.node).toMatchObject({ __typename: 'PullRequest', id: pr.nodeId, number: pr.number });
    expect(answer.data!.node.mergeCommit.oid).toBe(d().getPull('acme', 'web', pr.number).mergeCommitSha);
    expect(answer.data!.repository.pullRequest).toEqual({ id: pr.nodeId, headRefName: 'feat-d' });
    const missing = await gql(w, 'query { node(id: "bm9wZQ") { id } }');
    expect(missing.data).toEqual({ node: null });
    expect(missing.errors).toEqual([{ type: 'NOT_FOUND', path: ['node'], locations: [{ line: 1, column: 9 }], message: "Could not resolve to a node with the global id of 'bm9wZQ'." }]);
  });

  it('refuses a PR that is not merged: UNPROCESSABLE, nothing created', async () => {
    await d().commit('acme', 'web', { branch: 'open-e', files: { 'e.txt': 'e\n' }, message: 'e', author: 'alice' });
    const n = await d().openPull('alice', 'acme', 'web', { head: 'open-e', title: 'Open E' });
    const nodeId = (await w.app.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: n })).data.node_id;
    const pullsBefore = d().listPulls('acme', 'web').length;
    const answer = await gql(w, REVERT, { id: nodeId });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ revertPullRequest: null });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ type: 'UNPROCESSABLE', path: ['revertPullRequest'], locations: [{ line: 2, column: 3 }] });
    expect(answer.errors![0].message).toMatch(/has not been merged/);
    expect(d().listPulls('acme', 'web')).toHaveLength(pullsBefore);
    const refs = (await git(['--git-dir', d().repoPath('acme', 'web'), 'for-each-ref', '--format=%(refname)', `refs/heads/revert-${n}-open-e`])).stdout;
    expect(refs).toBe('');
  });

  it('refuses a revert that does not apply cleanly (main changed the same lines since): nothing created', async () => {
    const pr = await mergedPr('feat-f', { 'src/app.txt': 'changed by f ' });
    await d().commit('acme', 'web', { branch: 'main', files: { 'src/app.txt': 'rewritten later\n' }, message: 'later change', author: 'bob' });
    const pullsBefore = d().listPulls('acme', 'web').length;
    const answer = await gql(w, REVERT, { id: pr.nodeId });
    expect(answer.data).toEqual({ revertPullRequest: null });
    expect(answer.errors![0]).toMatchObject({ type: 'UNPROCESSABLE', path: ['revertPullRequest'] });
    expect(answer.errors![0].message).toMatch(/couldn't be reverted automatically/);
    expect(d().listPulls('acme', 'web')).toHaveLength(pullsBefore);
    const refs = (await git(['--git-dir', d().repoPath('acme', 'web'), 'for-each-ref', '--format=%(refname)', `refs/heads/revert-${pr.number}-feat-f`])).stdout;
    expect(refs).toBe('');
  });

  it('answers FORBIDDEN to an installation without contents: write', async () => {
    const pr = await mergedPr('feat-g', { 'g.txt': 'g' });
    const asApp = new Octokit({ baseUrl: sb.baseUrl, log: quiet, authStrategy: createAppAuth, auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem } });
    const { data: token } = await asApp.rest.apps.createInstallationAccessToken({ installation_id: w.inst, permissions: { contents: 'read', pull_requests: 'write' } });
    const readOnly = new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: token.token });
    const res = await readOnly.request('POST /graphql', { query: REVERT, variables: { id: pr.nodeId } });
    const body = res.data as GqlAnswer;
    expect(body.data).toEqual({ revertPullRequest: null });
    expect(body.errors![0]).toMatchObject({ type: 'FORBIDDEN', message: 'Resource not accessible by integration' });
  });
});

describe('POST /graphql: documents the schema rejects', () => {
  let sb: TestSandbox;
  let w: World;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
  });
  afterAll(() => sb.discard());

  it('answers 200 with GitHub-shaped errors, and records each as a strict-mode violation', async () => {
    const unknownField = await gql(w, 'query { repository(owner: "acme", name: "web") { nope } }');
    expect(unknownField.status).toBe(200);
    expect(unknownField.data).toBeUndefined();
    expect(unknownField.errors).toEqual([
      {
        message: "Field 'nope' doesn't exist on type 'Repository'",
        path: ['query', 'repository', 'nope'],
        locations: [{ line: 1, column: 50 }],
        extensions: { code: 'undefinedField', typeName: 'Repository', fieldName: 'nope' },
      },
    ]);
    const missingArg = await gql(w, 'mutation M { revertPullRequest(input: {title: "x"}) { clientMutationId } }');
    expect(missingArg.errors?.[0].message).toMatch(/pullRequestId/);
    expect(missingArg.errors?.[0].path?.[0]).toBe('mutation M');
    const syntax = await gql(w, 'query { repository(owner: "acme" name: "web") { id ');
    expect(syntax.errors?.[0].locations).toBeDefined();
    const badVariable = await gql(w, 'query($id: ID!) { node(id: $id) { id } }', {});
    expect(badVariable.errors?.[0].message).toMatch(/\$id/);
    const violations = sb.violations().filter((v) => v.where === 'POST /graphql');
    expect(violations).toHaveLength(4);
    expect(violations[0].message).toContain("Field 'nope' doesn't exist on type 'Repository'");
  });

  it('records a field the sandbox does not implement as a violation and answers it with an error', async () => {
    const before = sb.violations().length;
    const answer = await gql(w, 'query { repository(owner: "acme", name: "web") { stargazerCount } }');
    expect(answer.errors?.[0].message).toContain('Repository.stargazerCount');
    expect(sb.violations().slice(before)).toEqual([{ kind: 'unknown-endpoint', where: 'POST /graphql Repository.stargazerCount', message: 'GraphQL field not implemented by the sandbox' }]);
  });

  it('requires authentication', async () => {
    const res = await fetch(`${sb.baseUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toBe('This endpoint requires you to be authenticated.');
  });
});
