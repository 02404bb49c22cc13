/**
 * The GitHub port's `revertPullRequest` (src/github/graphql-revert.ts, sent with `octokit.graphql`) against the
 * sandbox's schema-checked `/graphql`: the revert PR mapped like a REST one, and GitHub's refusals returned (not
 * thrown) so the saga can fall back to git; `mergePullRequest` (src/github/graphql-merge.ts): the merge with what
 * the merge commit holds at some paths, in one answer; and `readDefaultBranchFile` (src/github/default-branch-files.ts): files of
 * default branches with their commit, several in one query.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOctokitPort } from '../../src/github/octokit-adapter.ts';
import type { GitHubPort } from '../../src/github/port.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { setupWorld, type World } from './support/world.ts';

let sb: TestSandbox;
let w: World;
let port: GitHubPort;

beforeAll(async () => {
  sb = await startTestSandbox();
  w = await setupWorld(sb);
  port = createOctokitPort(w.app);
});
afterAll(() => sb.close());

/** A PR of acme/web from `branch` (one new file), merged with `method`: its number. */
async function mergedPull(branch: string, title: string, method: 'merge' | 'squash'): Promise<number> {
  await sb.driver.commit('acme', 'web', { branch, files: { [`${branch}.txt`]: `${branch}\n` }, message: branch, author: 'alice' });
  const n = await sb.driver.openPull('alice', 'acme', 'web', { head: branch, title });
  await sb.idle();
  await sb.driver.mergePull('bob', 'acme', 'web', n, method);
  return n;
}

describe('port.revertPullRequest over GraphQL', () => {
  const ref = { owner: 'acme', repo: 'web' };

  it('opens the revert PR with the given title and body and maps it like REST does', async () => {
    const n = await mergedPull('feat', 'Feature', 'squash');
    const original = await port.getPull(ref, n);
    expect(original?.nodeId).toMatch(/^[A-Za-z0-9]+$/);
    const outcome = await port.revertPullRequest!(ref, { pullNodeId: original!.nodeId!, title: 'Revert "Feature"', body: 'Body\n\nRollback-Id: rb-test' });
    expect(outcome.kind).toBe('opened');
    if (outcome.kind !== 'opened') return;
    const viaRest = await port.getPull(ref, outcome.pull.number);
    expect(outcome.pull).toMatchObject({
      owner: 'acme',
      repo: 'web',
      title: 'Revert "Feature"',
      body: 'Body\n\nRollback-Id: rb-test',
      state: 'open',
      merged: false,
      headRef: `revert-${n}-feat`,
      baseRef: 'main',
      user: { login: `${sb.app.slug}[bot]`, type: 'Bot' },
    });
    // The same PR as REST reports it: number, head, URL, author, node id.
    for (const k of ['number', 'headRef', 'headSha', 'htmlUrl', 'user', 'nodeId'] as const) expect(outcome.pull[k]).toEqual(viaRest![k]);
  });

  it('refuses to take a revert opened in another repository for one of this repository (a node id from elsewhere)', async () => {
    const n = await mergedPull('other', 'Other', 'merge');
    const original = await port.getPull(ref, n);
    await expect(port.revertPullRequest!({ owner: 'acme', repo: 'api' }, { pullNodeId: original!.nodeId!, title: 't', body: 'b' })).rejects.toThrow(/opened acme\/web#\d+, not a pull request of acme\/api/);
  });

  it('returns GitHub\'s refusal of a PR that is not merged', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'open', files: { 'o.txt': 'o\n' }, message: 'o', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'open', title: 'Open' });
    const original = await port.getPull(ref, n);
    const outcome = await port.revertPullRequest!(ref, { pullNodeId: original!.nodeId!, title: 't', body: 'b' });
    expect(outcome).toMatchObject({ kind: 'refused', type: 'UNPROCESSABLE' });
    expect(outcome.kind === 'refused' && outcome.message).toMatch(/has not been merged/);
  });
});

describe('port.mergePullRequest over GraphQL', () => {
  const ref = { owner: 'acme', repo: 'web' };

  /** An open PR of acme/web from `branch` changing README.md and adding `<branch>.txt`, its checks not required. */
  async function openPull(branch: string): Promise<{ number: number; nodeId: string; headSha: string }> {
    await sb.driver.commit('acme', 'web', { branch, files: { [`${branch}.txt`]: `${branch}\n`, 'README.md': `# ${branch}\n` }, message: branch, author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: branch, title: `PR ${branch}` });
    await sb.idle();
    const pr = await port.getPull(ref, n);
    return { number: n, nodeId: pr!.nodeId!, headSha: pr!.headSha };
  }

  it('merges, and says in the same answer what the merge commit holds at each path asked for', async () => {
    const pr = await openPull('gm1');
    const outcome = await port.mergePullRequest!(ref, { pullNodeId: pr.nodeId, method: 'squash', sha: pr.headSha, title: 'Squashed (#x)', message: 'Body', paths: ['gm1.txt', 'README.md', 'gone/nowhere.txt'] });
    expect(outcome.kind).toBe('merged');
    if (outcome.kind !== 'merged') return;
    const merged = await port.getPull(ref, pr.number);
    expect(merged).toMatchObject({ merged: true, mergeCommitSha: outcome.sha });
    const commit = await port.getCommit(ref, outcome.sha);
    expect(commit?.message).toBe('Squashed (#x)\n\nBody');
    expect(outcome.files).toEqual({
      'gm1.txt': (await port.getFile(ref, 'gm1.txt', outcome.sha))!.blobSha,
      'README.md': (await port.getFile(ref, 'README.md', outcome.sha))!.blobSha,
      'gone/nowhere.txt': null,
    });
  });

  it('returns GitHub\'s refusal (REST\'s message) when the head moved, and merges nothing', async () => {
    const pr = await openPull('gm2');
    const outcome = await port.mergePullRequest!(ref, { pullNodeId: pr.nodeId, method: 'merge', sha: 'f'.repeat(40), title: 't', message: 'm', paths: [] });
    expect(outcome).toEqual({ kind: 'refused', message: 'Head branch was modified. Review and try the merge again.' });
    expect((await port.getPull(ref, pr.number))?.merged).toBe(false);
  });

  it('asks for no file beyond its bound (verification reads them itself then)', async () => {
    const pr = await openPull('gm3');
    const paths = Array.from({ length: 51 }, (_, i) => `f${i}.txt`);
    const outcome = await port.mergePullRequest!(ref, { pullNodeId: pr.nodeId, method: 'merge', sha: pr.headSha, title: 't', message: 'm', paths });
    expect(outcome).toMatchObject({ kind: 'merged', files: null });
  });
});

describe('port.readDefaultBranchFile over GraphQL', () => {

  it('reads files of several repositories in one query, each with the commit it was read at, as REST would', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { '.github/unwind.yml': 'service: web\n', 'bin/logo.png': Buffer.from([0x89, 0x50, 0x00, 0x01]) }, message: 'config', author: 'alice' });
    const head = await port.getBranchSha({ owner: 'acme', repo: 'web' }, 'main');
    const before = sb.requestStats().total;
    const [file, missing, dir, binary, noRepo] = await Promise.all([
      port.readDefaultBranchFile!({ owner: 'acme', repo: 'web' }, '.github/unwind.yml'),
      port.readDefaultBranchFile!({ owner: 'acme', repo: 'web' }, 'nope.yml'),
      port.readDefaultBranchFile!({ owner: 'acme', repo: 'web' }, '.github'),
      port.readDefaultBranchFile!({ owner: 'acme', repo: 'web' }, 'bin/logo.png'),
      port.readDefaultBranchFile!({ owner: 'acme', repo: 'does-not-exist' }, '.github/unwind.yml'),
    ]);
    // One request for the five.
    expect(sb.requestStats().total - before).toBe(1);
    const rest = await port.getFile({ owner: 'acme', repo: 'web' }, '.github/unwind.yml', head!);
    expect(file).toEqual({ kind: 'file', commitSha: head, blobSha: rest!.blobSha, text: 'service: web\n' });
    expect(missing).toEqual({ kind: 'missing', commitSha: head });
    expect(dir).toEqual({ kind: 'directory', commitSha: head });
    // Binary content is left to REST (null), a repository GitHub does not show is no_repo, as REST's 404.
    expect(binary).toBeNull();
    expect(noRepo).toEqual({ kind: 'no_repo' });
  });

  it('passes owners, names and paths as variables: a path with quotes and braces is only a path', async () => {
    const read = await port.readDefaultBranchFile!({ owner: 'acme', repo: 'web' }, 'a") { x } #.yml');
    expect(read).toMatchObject({ kind: 'missing' });
  });
});

