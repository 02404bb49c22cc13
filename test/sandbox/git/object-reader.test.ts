/**
 * The long-lived `git cat-file --batch-command` reader: it must answer exactly what a fresh `git` process
 * would, including refs moved, objects written and packs added by other git processes after it started.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { closeObjectReaders, isBatchSafeName, objectContents, objectInfo, type ObjectContents } from '../../../src/sandbox/git/object-reader.ts';
import { resolveCommit, resolveRef } from '../../../src/sandbox/git/ref-ops.ts';

const who = { name: 'Ada', email: 'ada@example.com' };
let dir: string;
let repo: BareRepo;

/** A git command in its own process, as another writer (a push, a script) would run it. */
function git(args: string[], input?: string | Buffer): string {
  return execFileSync('git', [`--git-dir=${repo.path}`, ...args], { env: gitEnv(), input }).toString('utf8').trim();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-object-reader-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
});

afterAll(() => {
  closeObjectReaders(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('object reader', () => {
  it('sees a branch move and a new commit written by another process after it started', async () => {
    const first = await repo.commitFiles({ branch: 'main', files: { 'a.txt': 'one\n' }, message: 'one', author: who });
    expect(await resolveRef(repo.path, 'refs/heads/main')).toBe(first); // the reader is running now
    const tree = git(['rev-parse', `${first}^{tree}`]);
    const second = git(['-c', 'user.name=B', '-c', 'user.email=b@example.com', 'commit-tree', tree, '-p', first, '-m', 'two']);
    git(['update-ref', 'refs/heads/main', second, first]);
    expect(await resolveRef(repo.path, 'refs/heads/main')).toBe(second);
    expect(await resolveCommit(repo.path, second)).toBe(second);
    expect((await repo.getCommit(second))?.message).toBe('two');
  });

  it('sees refs after they are packed and objects after they move into a pack', async () => {
    const sha = await repo.commitFiles({ branch: 'packed', files: { 'p.txt': 'p\n' }, message: 'packed', author: who });
    expect(await resolveRef(repo.path, 'refs/heads/packed')).toBe(sha);
    git(['pack-refs', '--all']);
    git(['repack', '-a', '-d', '-q']);
    git(['prune-packed']);
    expect(await resolveRef(repo.path, 'refs/heads/packed')).toBe(sha);
    // a commit that reaches the repository only as a new pack, after the reader last looked
    const later = await repo.commitFiles({ branch: null, parents: [sha], files: { 'q.txt': 'q\n' }, message: 'later', author: who });
    git(['repack', '-d', '-q']);
    git(['prune-packed']);
    expect(await resolveCommit(repo.path, later)).toBe(later);
    expect((await repo.readFile(later, 'q.txt'))?.content.toString()).toBe('q\n');
  });

  it('answers missing names, peels, paths and binary contents like git does', async () => {
    const bytes = Buffer.from([0, 10, 255, 10, 13, 0]);
    const sha = await repo.commitFiles({ branch: 'bin', files: { 'dir/blob.bin': bytes, 'dir/x y.txt': 'spaced\n' }, message: 'bin', author: who });
    expect(await resolveRef(repo.path, 'refs/heads/nope')).toBeNull();
    expect(await resolveCommit(repo.path, '0'.repeat(40))).toBeNull();
    const tree = git(['rev-parse', `${sha}^{tree}`]);
    expect(await resolveCommit(repo.path, tree)).toBeNull(); // a tree is not a commit
    expect((await objectInfo(repo.path, `${sha}^{tree}`))?.oid).toBe(tree);
    expect((await objectContents(repo.path, `${sha}:dir/blob.bin`))?.data.equals(bytes)).toBe(true);
    expect((await repo.readFile(sha, 'dir/x y.txt'))?.content.toString()).toBe('spaced\n');
    expect(await repo.readFile(sha, 'dir')).toBeNull();
    expect(await repo.pathEntry(sha, 'dir/blob.bin/deeper')).toEqual({ entry: null, fileInTheWay: 'dir/blob.bin' });
    expect((await repo.pathEntry(sha, 'dir')).entry?.type).toBe('tree');
  });

  it('keeps many pipelined requests in order', async () => {
    const shas: string[] = [];
    for (let i = 0; i < 5; i++) shas.push(await repo.commitFiles({ branch: 'many', files: { [`f${i}.txt`]: `${i}\n`.repeat(i * 1000) }, message: `m${i}`, author: who }));
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, k) => (k % 2 === 0 ? objectContents(repo.path, `${shas[k % 5]}:f${k % 5}.txt`) : objectInfo(repo.path, `refs/heads/missing-${k}`))),
    );
    answers.forEach((a, k) => {
      if (k % 2 === 1) expect(a).toBeNull();
      else expect((a as ObjectContents | null)?.data.toString()).toBe(`${k % 5}\n`.repeat((k % 5) * 1000));
    });
  });

  it('starts again after it was closed, and refuses names it cannot answer exactly', async () => {
    closeObjectReaders(dir);
    expect(await resolveRef(repo.path, 'refs/heads/main')).toBe(git(['rev-parse', 'refs/heads/main']));
    for (const name of ['main', 'abc1234', 'HEAD', 'refs/heads/a..b', 'refs/heads/x@{1}', `${'a'.repeat(40)}\n`]) {
      expect(isBatchSafeName(name)).toBe(false);
    }
    expect(() => objectInfo(repo.path, 'main')).toThrow(/not a batch-safe name/);
    // names the reader refuses still resolve, through rev-parse
    expect(await resolveCommit(repo.path, 'main')).toBe(git(['rev-parse', 'refs/heads/main']));
  });
});
