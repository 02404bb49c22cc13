import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { git } from './support/git-cli.ts';
import { failure } from './support/http-outcome.ts';
import { setupWorld, type World } from './support/world.ts';

async function parents(repoPath: string, rev: string): Promise<string[]> {
  const { stdout } = await git(['--git-dir', repoPath, 'rev-list', '--parents', '-n', '1', rev]);
  return stdout.trim().split(/\s+/).slice(1);
}

describe('pull request lifecycle', () => {
  let sb: TestSandbox;
  let w: World;
  const o = { owner: 'acme', repo: 'web' };
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
  });
  afterAll(() => sb.close());

  async function branchPr(branch: string, files: Record<string, string | null>, commits = 1): Promise<number> {
    for (let i = 0; i < commits; i++) {
      await sb.driver.commit('acme', 'web', { branch, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v === null ? null : `${v}${i}\n`])), message: `${branch} change ${i}`, author: 'alice' });
    }
    const { data } = await w.app.rest.pulls.create({ ...o, head: branch, base: 'main', title: `PR ${branch}`, body: 'body' });
    return data.number;
  }

  it('creates a PR whose mergeable is null at first, then computed with a test merge ref', async () => {
    const n = await branchPr('feature-a', { 'a.txt': 'a' });
    const created = await w.app.rest.pulls.get({ ...o, pull_number: n });
    expect(created.data.state).toBe('open');
    expect(created.data.user?.login).toBe(`${sb.app.slug}[bot]`);
    await sb.idle();
    const pr = await w.app.rest.pulls.get({ ...o, pull_number: n });
    expect(pr.data.mergeable).toBe(true);
    expect(pr.data.mergeable_state).toBe('clean');
    expect(pr.data.merge_commit_sha).toMatch(/^[0-9a-f]{40}$/);
    const mergeRef = (await git(['--git-dir', sb.driver.repoPath('acme', 'web'), 'rev-parse', `refs/pull/${n}/merge`])).stdout.trim();
    expect(mergeRef).toBe(pr.data.merge_commit_sha);
    expect(pr.data.changed_files).toBe(1);
    const listed = await w.app.rest.pulls.list({ ...o, head: 'acme:feature-a', state: 'open' });
    expect(listed.data.map((p) => p.number)).toEqual([n]);
    const issues = await w.app.rest.issues.listForRepo({ ...o, state: 'all' });
    expect(issues.data.find((i) => i.number === n)?.pull_request?.url).toContain(`/pulls/${n}`);
    const files = await w.app.rest.pulls.listFiles({ ...o, pull_number: n });
    expect(files.data.map((f) => f.filename)).toEqual(['a.txt']);
  });

  it('answers 422 for duplicates, empty PRs and unknown branches', async () => {
    const dup = await failure(w.app.rest.pulls.create({ ...o, head: 'feature-a', base: 'main', title: 'again' }));
    expect(dup.status).toBe(422);
    expect(JSON.stringify(dup.errors)).toContain('A pull request already exists for acme:feature-a.');
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { 'main.txt': 'm\n' }, message: 'main moves', author: 'bob' });
    await git(['--git-dir', sb.driver.repoPath('acme', 'web'), 'branch', 'same', 'main']);
    const empty = await failure(w.app.rest.pulls.create({ ...o, head: 'same', base: 'main', title: 'empty' }));
    expect(empty.status).toBe(422);
    expect(JSON.stringify(empty.errors)).toContain('No commits between main and same');
    const bad = await failure(w.app.rest.pulls.create({ ...o, head: 'nope', base: 'main', title: 'x' }));
    expect(bad.status).toBe(422);
  });

  it('merges with a merge commit (two parents) and emits the state changes', async () => {
    const n = await branchPr('merge-me', { 'm.txt': 'm' }, 2);
    await sb.idle();
    const pr = await w.app.rest.pulls.get({ ...o, pull_number: n });
    const res = await w.app.rest.pulls.merge({ ...o, pull_number: n, merge_method: 'merge', sha: pr.data.head.sha });
    expect(res.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    const repoPath = sb.driver.repoPath('acme', 'web');
    const p = await parents(repoPath, 'main');
    expect(p).toHaveLength(2);
    expect(p[1]).toBe(pr.data.head.sha);
    expect((await git(['--git-dir', repoPath, 'rev-parse', 'main'])).stdout.trim()).toBe(res.data.sha);
    const after = await w.app.rest.pulls.get({ ...o, pull_number: n });
    expect(after.data).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: res.data.sha });
    expect(after.data.merged_by?.login).toBe(`${sb.app.slug}[bot]`);
    await w.app.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/merge', { ...o, pull_number: n });
    const closedAgain = await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }));
    expect(closedAgain.status).toBe(422);
    const assoc = await w.app.rest.repos.listPullRequestsAssociatedWithCommit({ ...o, commit_sha: res.data.sha });
    expect(assoc.data.map((x) => x.number)).toContain(n);
  });

  it('squash-merges into a single-parent commit with the PR title', async () => {
    const n = await branchPr('squash-me', { 's.txt': 's' }, 3);
    await sb.idle();
    const res = await w.app.rest.pulls.merge({ ...o, pull_number: n, merge_method: 'squash' });
    const repoPath = sb.driver.repoPath('acme', 'web');
    expect(await parents(repoPath, res.data.sha)).toHaveLength(1);
    const msg = (await git(['--git-dir', repoPath, 'log', '-1', '--format=%s', res.data.sha])).stdout.trim();
    expect(msg).toBe(`PR squash-me (#${n})`);
    const commit = await w.app.rest.repos.getCommit({ ...o, ref: res.data.sha });
    expect(commit.data.files?.map((f) => f.filename)).toEqual(['s.txt']);
  });

  it('rebase-merges by replaying each commit, keeping authors, committer GitHub', async () => {
    const n = await branchPr('rebase-me', { 'r.txt': 'r' }, 2);
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { 'other.txt': 'o\n' }, message: 'main diverges', author: 'bob' });
    await sb.idle();
    const before = (await w.app.rest.repos.getBranch({ ...o, branch: 'main' })).data.commit.sha;
    const res = await w.app.rest.pulls.merge({ ...o, pull_number: n, merge_method: 'rebase' });
    const repoPath = sb.driver.repoPath('acme', 'web');
    const log = (await git(['--git-dir', repoPath, 'log', '--format=%P|%an|%cn|%s', `${before}..${res.data.sha}`])).stdout.trim().split('\n');
    expect(log).toHaveLength(2);
    for (const line of log) {
      const [ps, an, cn] = line.split('|');
      expect(ps.split(' ')).toHaveLength(1);
      expect(an).toBe('Alice');
      expect(cn).toBe('GitHub');
    }
    const assoc = await w.app.rest.repos.listPullRequestsAssociatedWithCommit({ ...o, commit_sha: res.data.sha });
    expect(assoc.data.map((x) => x.number)).toEqual([n]);
  });

  it('reports conflicts: mergeable false, dirty, 405 on merge', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'conflict', files: { 'src/app.txt': 'one\nBRANCH\nthree\n' }, message: 'branch edit', author: 'alice' });
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { 'src/app.txt': 'one\nMAIN\nthree\n' }, message: 'main edit', author: 'bob' });
    const { data } = await w.app.rest.pulls.create({ ...o, head: 'conflict', base: 'main', title: 'conflicting' });
    await sb.idle();
    const pr = await w.app.rest.pulls.get({ ...o, pull_number: data.number });
    expect(pr.data.mergeable).toBe(false);
    expect(pr.data.mergeable_state).toBe('dirty');
    const res = await failure(w.app.rest.pulls.merge({ ...o, pull_number: data.number }));
    expect(res).toMatchObject({ status: 405, message: 'Pull Request is not mergeable' });
    await w.app.rest.pulls.update({ ...o, pull_number: data.number, state: 'closed' });
    expect((await w.app.rest.pulls.get({ ...o, pull_number: data.number })).data.state).toBe('closed');
  });

  it('answers 409 when the head moved and 405 when the method is disabled', async () => {
    const n = await branchPr('moving', { 'mv.txt': 'v' });
    await sb.idle();
    const old = (await w.app.rest.pulls.get({ ...o, pull_number: n })).data.head.sha;
    await sb.driver.commit('acme', 'web', { branch: 'moving', files: { 'mv.txt': 'v2\n' }, message: 'move head', author: 'alice' });
    const res = await failure(w.app.rest.pulls.merge({ ...o, pull_number: n, sha: old }));
    expect(res).toMatchObject({ status: 409, message: 'Head branch was modified. Review and try the merge again.' });
    await sb.driver.createRepo('acme', 'squash-only', { allowMergeCommit: false, allowRebaseMerge: false });
    await sb.driver.commit('acme', 'squash-only', { branch: 'f', files: { 'f.txt': 'f\n' }, message: 'f', author: 'alice' });
    const pr = await sb.driver.openPull('alice', 'acme', 'squash-only', { head: 'f', title: 'f' });
    await sb.idle();
    const denied = await failure(w.app.rest.pulls.merge({ owner: 'acme', repo: 'squash-only', pull_number: pr, merge_method: 'merge' }));
    expect(denied).toMatchObject({ status: 405, message: 'Merge commits are not allowed on this repository.' });
    const repo = await w.app.rest.repos.get({ owner: 'acme', repo: 'squash-only' });
    expect(repo.data).toMatchObject({ allow_merge_commit: false, allow_squash_merge: true, allow_rebase_merge: false });
    const sha = await sb.driver.mergePull('bob', 'acme', 'squash-only', pr, 'squash');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('answers 405 "Base branch was modified" when the base moves under a merge (CAS)', async () => {
    const n = await branchPr('cas', { 'cas.txt': 'c' });
    await sb.idle();
    // move main behind the sandbox's back (as a concurrent push whose event is not processed yet)
    const repoPath = sb.driver.repoPath('acme', 'web');
    const tree = (await git(['--git-dir', repoPath, 'rev-parse', 'main^{tree}'])).stdout.trim();
    const main = (await git(['--git-dir', repoPath, 'rev-parse', 'main'])).stdout.trim();
    const moved = (await git(['--git-dir', repoPath, 'commit-tree', tree, '-p', main, '-m', 'racing commit'])).stdout.trim();
    await git(['--git-dir', repoPath, 'update-ref', 'refs/heads/main', moved, main]);
    const res = await failure(w.app.rest.pulls.merge({ ...o, pull_number: n }));
    expect(res).toMatchObject({ status: 405, message: 'Base branch was modified. Review and try the merge again.' });
    await sb.idle();
    const retry = await w.app.rest.pulls.merge({ ...o, pull_number: n });
    expect(retry.data.merged).toBe(true);
    expect(await parents(repoPath, retry.data.sha)).toEqual([moved, expect.stringMatching(/^[0-9a-f]{40}$/)]);
  });
});
