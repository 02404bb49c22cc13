import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { GitInputError } from '../../../src/sandbox/git/errors.ts';

const alice = { name: 'Alice', email: 'alice@example.com', date: new Date('2024-01-02T03:04:05Z') };
const bob = { name: 'Bob', email: 'bob@example.com', date: new Date('2024-02-03T04:05:06Z') };
const github = { name: 'GitHub', email: 'noreply@github.com' };

let root: string;
let n = 0;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'unwind-bare-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function newRepo(): Promise<BareRepo> {
  return BareRepo.init(path.join(root, `o${n++}`, 'r.git'), 'main');
}

/** main: base commit with a.txt, b.txt; feature branch off it. */
async function forked(repo: BareRepo) {
  const base = await repo.commitFiles({ branch: 'main', files: { 'a.txt': 'a1\na2\na3\n', 'b.txt': 'b1\n' }, message: 'base', author: alice });
  await repo.updateRef('refs/heads/feature', base, null);
  return base;
}

async function text(repo: BareRepo, rev: string, file: string): Promise<string | null> {
  return (await repo.readFile(rev, file))?.content.toString('utf8') ?? null;
}

describe('BareRepo commits and reads', () => {
  it('tells what a path is (file, directory, nothing) and whether a parent of it is a file, literally', async () => {
    const repo = await newRepo();
    const sha = await repo.commitFiles({ branch: 'main', files: { 'a/b/c.txt': 'c\n', 'f': 'f\n', 'a/*': 'star\n' }, message: 'tree', author: alice });
    const file = await repo.pathEntry(sha, 'a/b/c.txt');
    expect(file).toEqual({ entry: { type: 'blob', sha: (await repo.readFile(sha, 'a/b/c.txt'))?.blobSha }, fileInTheWay: null });
    expect((await repo.pathEntry(sha, 'a/b')).entry?.type).toBe('tree');
    expect(await repo.pathEntry(sha, 'a/new.txt')).toEqual({ entry: null, fileInTheWay: null });
    expect(await repo.pathEntry(sha, 'f/x/y')).toEqual({ entry: null, fileInTheWay: 'f' });
    expect((await repo.pathEntry(sha, 'a/*')).entry?.type).toBe('blob');
    expect(await repo.pathEntry(sha, 'a/?')).toEqual({ entry: null, fileInTheWay: null });
    await expect(repo.pathEntry(sha, '../x')).rejects.toBeInstanceOf(GitInputError);
  });

  it('creates a root commit, then a child, and reads files and directories back', async () => {
    const repo = await newRepo();
    const first = await repo.commitFiles({ branch: 'main', files: { 'README.md': '# hi\n', 'src/app/x.ts': 'export {}\n' }, message: 'first\n\nbody', author: alice, committer: bob });
    expect(await repo.resolve('main')).toBe(first);
    expect(await repo.resolve('HEAD')).toBe(first);
    const c = await repo.getCommit(first);
    expect(c).toMatchObject({ sha: first, parents: [], message: 'first\n\nbody', author: alice, committer: bob });
    const second = await repo.commitFiles({ branch: 'main', files: { 'README.md': null, 'src/y.ts': 'y\n' }, message: 'second', author: alice });
    expect((await repo.getCommit(second))?.parents).toEqual([first]);
    expect(await text(repo, first, 'README.md')).toBe('# hi\n');
    expect(await repo.readFile(second, 'README.md')).toBeNull();
    const file = await repo.readFile('main', 'src/y.ts');
    expect(file).toMatchObject({ size: 2 });
    expect(file?.blobSha).toMatch(/^[0-9a-f]{40}$/);
    expect(await repo.readFile('main', 'src')).toBeNull(); // a directory is not a file
    expect(await repo.readFile('nope', 'src/y.ts')).toBeNull();
    const rootDir = await repo.listDir('main', '');
    expect(rootDir?.map((e) => [e.name, e.type])).toEqual([['src', 'dir']]);
    const src = await repo.listDir('main', 'src');
    expect(src?.map((e) => [e.path, e.type, e.size])).toEqual([['src/app', 'dir', 0], ['src/y.ts', 'file', 2]]);
    expect(await repo.listDir('main', 'src/y.ts')).toBeNull();
    expect(await repo.listDir('main', 'missing')).toBeNull();
    expect(await repo.log('main')).toEqual([second, first]);
    expect(await repo.log('main', 1)).toEqual([second]);
    expect(await repo.resolve('does-not-exist')).toBeNull();
  });

  it('keeps binary content byte-exact', async () => {
    const repo = await newRepo();
    const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 0]);
    await repo.commitFiles({ branch: 'main', files: { 'bin.dat': bytes }, message: 'bin', author: alice });
    expect((await repo.readFile('main', 'bin.dat'))?.content.equals(bytes)).toBe(true);
  });

  it('rejects unsafe paths, revisions and ref names with typed errors', async () => {
    const repo = await newRepo();
    for (const bad of ['../x', '/abs', 'a//b', '.git/config', 'x/.GIT/y', 'a\nb']) {
      await expect(repo.commitFiles({ branch: 'main', files: { [bad]: 'x' }, message: 'm', author: alice })).rejects.toBeInstanceOf(GitInputError);
    }
    await repo.commitFiles({ branch: 'main', files: { 'ok.txt': 'ok' }, message: 'm', author: alice });
    expect(await repo.resolve('--all')).toBeNull(); // lookups of unsafe input answer "not found"
    expect(await repo.getCommit('main\n--all')).toBeNull();
    expect(await repo.readFile('main', '../ok.txt')).toBeNull();
    expect(await repo.listDir('main', 'x/../..')).toBeNull();
    await expect(repo.log('--all')).rejects.toBeInstanceOf(GitInputError);
    await expect(repo.merge({ method: 'merge', baseRef: 'refs/heads/main', expectedBaseSha: 'abc', headSha: 'main', title: 't', message: '', committer: alice })).rejects.toBeInstanceOf(GitInputError);
    await expect(repo.updateRef('refs/heads/a..b', '0'.repeat(40))).rejects.toBeInstanceOf(GitInputError);
    await expect(repo.updateRef('main', '0'.repeat(40))).rejects.toBeInstanceOf(GitInputError);
    await expect(repo.commitFiles({ branch: 'main', files: {}, message: 'm', author: { name: '', email: 'x@y' } })).rejects.toBeInstanceOf(GitInputError);
  });

  it('serialises concurrent commits to one branch into a linear history', async () => {
    const repo = await newRepo();
    const shas = await Promise.all(
      Array.from({ length: 5 }, (_, i) => repo.commitFiles({ branch: 'main', files: { [`f${i}.txt`]: `${i}\n` }, message: `c${i}`, author: alice })),
    );
    const log = await repo.log('main');
    expect(log).toHaveLength(5);
    expect(new Set(log)).toEqual(new Set(shas));
    expect((await repo.listDir('main', ''))?.map((e) => e.name).sort()).toEqual(['f0.txt', 'f1.txt', 'f2.txt', 'f3.txt', 'f4.txt']);
  });

  it('creates detached commits with explicit parents without moving any ref', async () => {
    const repo = await newRepo();
    const base = await repo.commitFiles({ branch: 'main', files: { 'a.txt': 'a\n' }, message: 'base', author: alice });
    const detached = await repo.commitFiles({ branch: null, parents: ['main'], files: { 'b.txt': 'b\n' }, message: 'detached', author: alice });
    expect(await repo.resolve('main')).toBe(base);
    expect((await repo.getCommit(detached))?.parents).toEqual([base]);
    expect(await text(repo, detached, 'a.txt')).toBe('a\n');
  });
});

describe('BareRepo bulk import', () => {
  it('appends a linear chain of commits in one fast-import run', async () => {
    const repo = await newRepo();
    const first = await repo.commitFiles({ branch: 'main', files: { 'keep.txt': 'k\n', 'drop.txt': 'd\n' }, message: 'first', author: alice });
    const commits = Array.from({ length: 50 }, (_, i) => ({
      files: { 'counter.txt': `${i}\n`, 'odd "name" \\ x.txt': 'q', ...(i === 3 ? { 'drop.txt': null } : {}) },
      message: `commit ${i}`,
      author: { ...bob, date: new Date(Date.UTC(2024, 0, 1, 0, i)) },
      committer: alice,
    }));
    const shas = await repo.appendCommits({ branch: 'main', commits });
    expect(shas).toHaveLength(50);
    expect(await repo.resolve('main')).toBe(shas[49]);
    expect(await repo.log('main')).toEqual([...shas].reverse().concat(first));
    const c7 = await repo.getCommit(shas[7]);
    expect(c7).toMatchObject({ parents: [shas[6]], message: 'commit 7', author: { ...bob, date: new Date(Date.UTC(2024, 0, 1, 0, 7)) }, committer: { name: 'Alice' } });
    expect((await repo.getCommit(shas[0]))?.parents).toEqual([first]);
    expect(await text(repo, 'main', 'counter.txt')).toBe('49\n');
    expect(await text(repo, 'main', 'odd "name" \\ x.txt')).toBe('q');
    expect(await text(repo, shas[2], 'drop.txt')).toBe('d\n');
    expect(await repo.readFile(shas[3], 'drop.txt')).toBeNull();
    expect([...(await repo.listRefs()).keys()]).toEqual(['refs/heads/main']); // no scratch ref left behind
    const stats = await repo.stats();
    expect(stats.looseObjects + stats.packedObjects).toBeGreaterThan(100);
  });
});

describe('BareRepo refs', () => {
  it('lists, compare-and-swaps and deletes refs', async () => {
    const repo = await newRepo();
    const base = await forked(repo);
    const next = await repo.commitFiles({ branch: 'feature', files: { 'c.txt': 'c\n' }, message: 'c', author: alice });
    expect(Object.fromEntries(await repo.listRefs())).toEqual({ 'refs/heads/main': base, 'refs/heads/feature': next });
    expect([...(await repo.listRefs('refs/heads/f')).keys()]).toEqual(['refs/heads/feature']);
    expect(await repo.updateRef('refs/heads/main', next, next)).toBe(false); // main is at base, not next
    expect(await repo.updateRef('refs/heads/main', next, null)).toBe(false); // exists already
    expect(await repo.resolve('main')).toBe(base);
    expect(await repo.updateRef('refs/heads/main', next, base)).toBe(true);
    expect(await repo.updateRef('refs/pull/1/head', next, null)).toBe(true);
    expect(await repo.deleteRef('refs/pull/1/head')).toBe(true);
    expect(await repo.deleteRef('refs/pull/1/head')).toBe(false);
    expect(await repo.resolve('refs/pull/1/head')).toBeNull();
  });
});

describe('BareRepo diffs and comparisons', () => {
  it('reports added, modified, removed and renamed files with counts and patches', async () => {
    const repo = await newRepo();
    const long = Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('');
    const first = await repo.commitFiles({ branch: 'main', files: { 'mod.txt': 'one\ntwo\n', 'gone.txt': 'bye\n', 'old/name.txt': long }, message: 'first', author: alice });
    const rootFiles = await repo.changedFiles(first);
    expect(rootFiles.map((f) => [f.filename, f.status, f.additions])).toEqual([
      ['gone.txt', 'added', 1],
      ['mod.txt', 'added', 2],
      ['old/name.txt', 'added', 20],
    ]);
    const second = await repo.commitFiles({
      branch: 'main',
      files: { 'mod.txt': 'one\nTWO\nthree\n', 'gone.txt': null, 'old/name.txt': null, 'new/name.txt': long, 'new file.txt': 'x\n' },
      message: 'second',
      author: alice,
    });
    const files = await repo.changedFiles(second);
    const byName = new Map(files.map((f) => [f.filename, f]));
    expect(byName.get('mod.txt')).toMatchObject({ status: 'modified', additions: 2, deletions: 1, changes: 3 });
    expect(byName.get('mod.txt')?.patch).toBe('@@ -1,2 +1,3 @@\n one\n-two\n+TWO\n+three');
    expect(byName.get('gone.txt')).toMatchObject({ status: 'removed', additions: 0, deletions: 1 });
    expect(byName.get('new/name.txt')).toMatchObject({ status: 'renamed', previousFilename: 'old/name.txt', additions: 0, deletions: 0 });
    expect(byName.get('new/name.txt')?.patch).toBeUndefined();
    expect(byName.get('new file.txt')).toMatchObject({ status: 'added', additions: 1, patch: '@@ -0,0 +1 @@\n+x' });
    expect(files).toHaveLength(4);
    const range = await repo.changedFiles(second, first);
    expect(range).toEqual(files);
  });

  it('compares diverged branches and answers ancestry', async () => {
    const repo = await newRepo();
    const base = await forked(repo);
    const f1 = await repo.commitFiles({ branch: 'feature', files: { 'f1': '1' }, message: 'f1', author: alice });
    const f2 = await repo.commitFiles({ branch: 'feature', files: { 'f2': '2' }, message: 'f2', author: alice });
    await repo.commitFiles({ branch: 'main', files: { 'm1': '1' }, message: 'm1', author: alice });
    expect(await repo.compare('main', 'feature')).toEqual({ aheadBy: 2, behindBy: 1, mergeBase: base, commits: [f1, f2] });
    expect(await repo.compare('feature', 'feature')).toEqual({ aheadBy: 0, behindBy: 0, mergeBase: f2, commits: [] });
    expect(await repo.isAncestor(base, 'feature')).toBe(true);
    expect(await repo.isAncestor('feature', 'main')).toBe(false);
    const orphan = await repo.commitFiles({ branch: 'orphan', parents: [], files: { z: 'z' }, message: 'orphan', author: alice });
    expect((await repo.compare('main', orphan)).mergeBase).toBeNull();
    expect(await repo.mergeTree('main', orphan)).toEqual({ clean: false, conflicts: [] });
  });
});

describe('BareRepo PR merges', () => {
  async function pr(repo: BareRepo) {
    const base = await forked(repo);
    const f1 = await repo.commitFiles({ branch: 'feature', files: { 'a.txt': 'a1\na2 feature\na3\n' }, message: 'feature one\n\nwhy', author: bob });
    const f2 = await repo.commitFiles({ branch: 'feature', files: { 'new.txt': 'n\n' }, message: 'feature two', author: { ...bob, date: new Date('2024-03-01T00:00:00Z') } });
    const m1 = await repo.commitFiles({ branch: 'main', files: { 'b.txt': 'b1 main\n' }, message: 'main moves', author: alice });
    return { base, f1, f2, m1 };
  }
  const merger = { name: 'Carol', email: 'carol@example.com' };

  it('merge: a two-parent commit with both sides, authored by the merger, committed by GitHub', async () => {
    const repo = await newRepo();
    const { f2, m1 } = await pr(repo);
    const res = await repo.merge({ method: 'merge', baseRef: 'refs/heads/main', expectedBaseSha: m1, headSha: f2, title: 'Merge pull request #1 from o/feature', message: 'Feature', committer: github, author: merger });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(await repo.resolve('main')).toBe(res.sha);
    const c = await repo.getCommit(res.sha);
    expect(c?.parents).toEqual([m1, f2]);
    expect(c?.message).toBe('Merge pull request #1 from o/feature\n\nFeature');
    expect(c?.author).toMatchObject(merger);
    expect(c?.committer).toMatchObject(github);
    expect(await text(repo, res.sha, 'a.txt')).toBe('a1\na2 feature\na3\n');
    expect(await text(repo, res.sha, 'b.txt')).toBe('b1 main\n');
    expect(await repo.isAncestor(f2, 'main')).toBe(true);
  });

  it('squash: one parent, the same tree as a merge, head not an ancestor', async () => {
    const repo = await newRepo();
    const { f2, m1 } = await pr(repo);
    const clean = await repo.mergeTree(m1, f2);
    expect(clean.clean).toBe(true);
    const res = await repo.merge({ method: 'squash', baseRef: 'refs/heads/main', expectedBaseSha: m1, headSha: f2, title: 'Feature (#1)', message: '* feature one\n* feature two', committer: github, author: bob });
    if (!res.ok) throw new Error(res.message);
    const c = await repo.getCommit(res.sha);
    expect(c?.parents).toEqual([m1]);
    expect(clean.clean && c?.tree).toBe(clean.clean ? clean.tree : null);
    expect(c?.author).toMatchObject({ name: 'Bob', email: 'bob@example.com' });
    expect(await repo.isAncestor(f2, 'main')).toBe(false);
  });

  it('rebase: replays each commit keeping authors and dates, committer is the given one', async () => {
    const repo = await newRepo();
    const { f1, f2, m1 } = await pr(repo);
    const expected = await repo.mergeTree(m1, f2);
    const res = await repo.merge({ method: 'rebase', baseRef: 'refs/heads/main', expectedBaseSha: m1, headSha: f2, title: 'ignored', message: '', committer: github });
    if (!res.ok) throw new Error(res.message);
    const [top, second, third] = await repo.log('main', 3);
    expect(top).toBe(res.sha);
    expect(third).toBe(m1);
    const replayed = [await repo.getCommit(second), await repo.getCommit(top)];
    const originals = [await repo.getCommit(f1), await repo.getCommit(f2)];
    replayed.forEach((c, i) => {
      expect(c?.parents).toHaveLength(1);
      expect(c?.message).toBe(originals[i]?.message);
      expect(c?.author).toEqual(originals[i]?.author);
      expect(c?.committer).toMatchObject(github);
      expect(c?.sha).not.toBe(originals[i]?.sha);
    });
    expect(expected.clean && (await repo.getCommit(top))?.tree).toBe(expected.clean ? expected.tree : null);
    expect(await text(repo, second, 'b.txt')).toBe('b1 main\n'); // first replayed commit sits on main
    expect(await repo.readFile(second, 'new.txt')).toBeNull();
  });

  it('rebase refuses heads that contain merge commits', async () => {
    const repo = await newRepo();
    const { f2, m1 } = await pr(repo);
    const mergeInHead = await repo.commitFiles({ branch: 'feature', parents: [f2, m1], files: {}, message: 'merge main', author: bob });
    const res = await repo.merge({ method: 'rebase', baseRef: 'refs/heads/main', expectedBaseSha: m1, headSha: mergeInHead, title: 't', message: '', committer: github });
    expect(res).toMatchObject({ ok: false, reason: 'not_rebaseable' });
    expect(await repo.resolve('main')).toBe(m1);
  });

  it('reports conflicts for every method and leaves the base untouched', async () => {
    const repo = await newRepo();
    const base = await forked(repo);
    const head = await repo.commitFiles({ branch: 'feature', files: { 'a.txt': 'a1\nfeature\na3\n' }, message: 'f', author: bob });
    const main = await repo.commitFiles({ branch: 'main', files: { 'a.txt': 'a1\nmain\na3\n' }, message: 'm', author: alice });
    expect(await repo.mergeTree(main, head)).toEqual({ clean: false, conflicts: ['a.txt'] });
    for (const method of ['merge', 'squash'] as const) {
      const res = await repo.merge({ method, baseRef: 'refs/heads/main', expectedBaseSha: main, headSha: head, title: 't', message: '', committer: github });
      expect(res).toMatchObject({ ok: false, reason: 'conflict' });
    }
    const rebase = await repo.merge({ method: 'rebase', baseRef: 'refs/heads/main', expectedBaseSha: main, headSha: head, title: 't', message: '', committer: github });
    expect(rebase).toMatchObject({ ok: false, reason: 'not_rebaseable' });
    expect(await repo.resolve('main')).toBe(main);
    expect(base).not.toBe(main);
  });

  it('fails with base_modified when the base moved since the caller looked', async () => {
    const repo = await newRepo();
    const { base, f2 } = await pr(repo);
    const res = await repo.merge({ method: 'merge', baseRef: 'refs/heads/main', expectedBaseSha: base, headSha: f2, title: 't', message: '', committer: github });
    expect(res).toEqual({ ok: false, reason: 'base_modified', message: 'Base branch was modified. Review and try the merge again.' });
  });

  it('lets exactly one of two concurrent merges onto the same base win', async () => {
    const repo = await newRepo();
    const { f2, m1 } = await pr(repo);
    const other = await repo.commitFiles({ branch: 'other', parents: [m1], files: { 'o.txt': 'o' }, message: 'o', author: bob });
    const results = await Promise.all([
      repo.merge({ method: 'merge', baseRef: 'refs/heads/main', expectedBaseSha: m1, headSha: f2, title: 't1', message: '', committer: github }),
      repo.merge({ method: 'squash', baseRef: 'refs/heads/main', expectedBaseSha: m1, headSha: other, title: 't2', message: '', committer: github }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'base_modified')).toHaveLength(1);
  });

  it('computes and stores the test merge commit, and removes it on conflict', async () => {
    const repo = await newRepo();
    const { f2, m1 } = await pr(repo);
    const sha = await repo.createTestMerge(m1, f2, 'refs/pull/7/merge');
    expect(sha).not.toBeNull();
    expect(await repo.resolve('refs/pull/7/merge')).toBe(sha);
    expect((await repo.getCommit(sha!))?.parents).toEqual([m1, f2]);
    expect(await repo.resolve('main')).toBe(m1);
    const conflicting = await repo.commitFiles({ branch: 'main', files: { 'a.txt': 'a1\nmain edit\na3\n' }, message: 'clash', author: alice });
    expect(await repo.createTestMerge(conflicting, f2, 'refs/pull/7/merge')).toBeNull();
    expect(await repo.resolve('refs/pull/7/merge')).toBeNull();
  });
});
