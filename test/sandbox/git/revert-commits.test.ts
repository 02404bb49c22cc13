/**
 * The sandbox's revert without a work tree (graphql/revert-commits.ts, behind `revertPullRequest`) must end
 * at the tree `git revert` gives (`-m 1` for a merge commit), newest commit first, whether the commit is
 * still the tip (answered from the trees alone) or changes came after it (a three-way merge).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { closeObjectReaders } from '../../../src/sandbox/git/object-reader.ts';
import { commitTree, writeTree } from '../../../src/sandbox/git/write-commit.ts';
import { revertCommits } from '../../../src/sandbox/graphql/revert-commits.ts';

let dir: string;
let repo: BareRepo;
const who = { name: 'Dev', email: 'dev@example.com' };
let n = 0;

function git(args: string[], cwd?: string): string {
  return execFileSync('git', cwd ? args : [`--git-dir=${repo.path}`, ...args], { env: gitEnv(), cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim();
}

async function commit(parents: string[], files: Record<string, string | null>): Promise<string> {
  n += 1;
  const base = parents[0] ? git(['rev-parse', `${parents[0]}^{tree}`]) : null;
  return commitTree(repo.path, { tree: await writeTree(repo.path, base, files), parents, message: `c${n}`, author: who, committer: who, now: new Date(n * 1000) });
}

/** `git revert` of `commits` (newest first) on `tip` in a clone: the tree it ends at. */
function oracle(tip: string, commits: string[]): string {
  const work = mkdtempSync(join(dir, 'w-'));
  git(['clone', '--quiet', repo.path, work], dir);
  git(['checkout', '--quiet', '--detach', tip], work);
  for (const sha of commits) {
    const merge = git(['rev-list', '--parents', '-n', '1', sha], work).split(' ').length > 2;
    git(['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', 'revert', '--no-edit', ...(merge ? ['-m', '1'] : []), sha], work);
  }
  return git(['rev-parse', 'HEAD^{tree}'], work);
}

async function ours(tip: string, commits: string[]): Promise<string> {
  const out = await revertCommits(repo.path, { tip, commits, author: who, committer: who, now: new Date(0) });
  if (out.kind !== 'reverted') throw new Error(`not reverted: ${out.kind}`);
  return git(['rev-parse', `${out.sha}^{tree}`]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-revert-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
});
afterAll(() => {
  closeObjectReaders(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('revertCommits', () => {
  it('reverts the tip commit, a merge commit at the tip, and a commit with later changes elsewhere, as git revert does', async () => {
    const base = await commit([], { 'a.txt': 'a1\n', 'b.txt': 'b1\n' });
    const change = await commit([base], { 'a.txt': 'a2\n', 'new.txt': 'new\n' });
    expect(await ours(change, [change])).toBe(oracle(change, [change]));

    const branch = await commit([base], { 'b.txt': 'b2\n', 'gone.txt': null });
    const merge = await commit([change, branch], { 'b.txt': 'b2\n' });
    expect(await ours(merge, [merge])).toBe(oracle(merge, [merge]));

    const later = await commit([merge], { 'c.txt': 'c\n' });
    expect(await ours(later, [change])).toBe(oracle(later, [change]));
  });

  it('reverts several landed commits newest first, each on the revert before it', async () => {
    const base = await commit([], { 'x.txt': 'x1\n' });
    const one = await commit([base], { 'x.txt': 'x2\n' });
    const two = await commit([one], { 'y.txt': 'y\n' });
    const three = await commit([two], { 'x.txt': 'x3\n', 'y.txt': null });
    expect(await ours(three, [three, two, one])).toBe(oracle(three, [three, two, one]));
  });

  it('reports a conflict where git revert would stop', async () => {
    const base = await commit([], { 'k.txt': 'k1\n' });
    const change = await commit([base], { 'k.txt': 'k2\n' });
    const after = await commit([change], { 'k.txt': 'k3\n' });
    expect(await revertCommits(repo.path, { tip: after, commits: [change], author: who, committer: who, now: new Date(0) })).toMatchObject({ kind: 'conflict', files: ['k.txt'] });
  });
});
