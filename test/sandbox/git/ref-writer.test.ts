/**
 * Ref writes through the long-lived `git update-ref --stdin`: the same compare-and-swap answers as a one-off
 * `git update-ref`, a refused write does not poison the next, and concurrent writes to one ref let exactly one win.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { GitInputError } from '../../../src/sandbox/git/errors.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { removeRef, setRef } from '../../../src/sandbox/git/ref-ops.ts';
import { closeRefWriters } from '../../../src/sandbox/git/ref-writer.ts';
import { gitSpawnCounts } from '../../../src/sandbox/git/run-git.ts';
import { writeFileSync } from 'node:fs';

const who = { name: 'Ada', email: 'ada@example.com' };
let dir: string;
let repo: BareRepo;
let a: string;
let b: string;

/** What a fresh git process sees. */
function refOf(ref: string): string | null {
  try {
    return execFileSync('git', [`--git-dir=${repo.path}`, 'rev-parse', '--verify', '--quiet', ref], { env: gitEnv() }).toString().trim();
  } catch {
    return null;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-ref-writer-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
  a = await repo.commitFiles({ branch: 'main', files: { 'a.txt': 'a\n' }, message: 'a', author: who });
  b = await repo.commitFiles({ branch: 'main', files: { 'b.txt': 'b\n' }, message: 'b', author: who });
});

afterAll(() => {
  closeRefWriters(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('ref writer', () => {
  it('creates, compares-and-swaps and deletes refs like update-ref', async () => {
    expect(await setRef(repo.path, 'refs/heads/x', a, null)).toBe(true);
    expect(refOf('refs/heads/x')).toBe(a);
    expect(await setRef(repo.path, 'refs/heads/x', b, null)).toBe(false); // must not exist: it does
    expect(await setRef(repo.path, 'refs/heads/x', b, b)).toBe(false); // stale expectation
    expect(refOf('refs/heads/x')).toBe(a);
    expect(await setRef(repo.path, 'refs/heads/x', b, a)).toBe(true); // the refusals did not stop the next write
    expect(refOf('refs/heads/x')).toBe(b);
    expect(await setRef(repo.path, 'refs/heads/y', a, b)).toBe(false); // expected a value, there is none
    expect(await setRef(repo.path, 'refs/pull/1/head', a)).toBe(true); // unconditional
    expect(await removeRef(repo.path, 'refs/heads/x')).toBe(true);
    expect(refOf('refs/heads/x')).toBeNull();
    expect(await removeRef(repo.path, 'refs/heads/x')).toBe(false);
  });

  it('refuses a ref git cannot store with an error naming it', async () => {
    expect(await setRef(repo.path, 'refs/heads/d', a)).toBe(true);
    // refs/heads/d is a file, so refs/heads/d/e cannot be created
    await expect(setRef(repo.path, 'refs/heads/d/e', a)).resolves.toBe(false);
    await expect(setRef(repo.path, 'refs/heads/bad name', a)).rejects.toBeInstanceOf(GitInputError);
    expect(await setRef(repo.path, 'refs/heads/after', b)).toBe(true);
    expect(refOf('refs/heads/after')).toBe(b);
  });

  it('lets exactly one of many concurrent compare-and-swaps from one value win', async () => {
    expect(await setRef(repo.path, 'refs/heads/race', a, null)).toBe(true);
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => setRef(repo.path, 'refs/heads/race', b, a)));
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    expect(refOf('refs/heads/race')).toBe(b);
  });

  it('makes a plain update itself, with no git started: git reads what it wrote, and a held lock goes to git', async () => {
    closeRefWriters(dir);
    const before = gitSpawnCounts()['update-ref'] ?? 0;
    expect(await setRef(repo.path, 'refs/heads/plain', a, null)).toBe(true);
    expect(await setRef(repo.path, 'refs/heads/plain', b, a)).toBe(true);
    expect(await setRef(repo.path, 'refs/heads/plain', a, a)).toBe(false); // stale expectation
    expect(await setRef(repo.path, 'refs/pull/7/head', b)).toBe(true);
    expect(gitSpawnCounts()['update-ref'] ?? 0).toBe(before);
    expect(refOf('refs/heads/plain')).toBe(b);
    expect(refOf('refs/pull/7/head')).toBe(b);
    // A lock someone holds (a push in progress, say): git's update-ref decides, and refuses.
    writeFileSync(join(repo.path, 'refs/heads/plain.lock'), '');
    expect(await setRef(repo.path, 'refs/heads/plain', a, b)).toBe(false);
    expect(gitSpawnCounts()['update-ref'] ?? 0).toBe(before + 1);
    rmSync(join(repo.path, 'refs/heads/plain.lock'));
    expect(refOf('refs/heads/plain')).toBe(b);
  });

  it('leaves packed refs to git, which still answers the compare-and-swap', async () => {
    const other = await BareRepo.init(join(dir, 'packed.git'), 'main');
    const c = await other.commitFiles({ branch: 'main', files: { 'c.txt': 'c\n' }, message: 'c', author: who });
    const d = await other.commitFiles({ branch: 'main', files: { 'd.txt': 'd\n' }, message: 'd', author: who });
    execFileSync('git', [`--git-dir=${other.path}`, 'update-ref', 'refs/heads/packed', c], { env: gitEnv() });
    execFileSync('git', [`--git-dir=${other.path}`, 'pack-refs', '--all'], { env: gitEnv() });
    const before = gitSpawnCounts()['update-ref'] ?? 0;
    expect(await setRef(other.path, 'refs/heads/packed', d, null)).toBe(false); // it exists, packed
    expect(await setRef(other.path, 'refs/heads/packed', d, c)).toBe(true);
    expect(gitSpawnCounts()['update-ref'] ?? 0).toBeGreaterThan(before);
    expect(execFileSync('git', [`--git-dir=${other.path}`, 'rev-parse', 'refs/heads/packed'], { env: gitEnv() }).toString().trim()).toBe(d);
  });

  it('starts again after its writers were closed', async () => {
    closeRefWriters(dir);
    expect(await setRef(repo.path, 'refs/heads/again', a, null)).toBe(true);
    expect(refOf('refs/heads/again')).toBe(a);
  });
});

describe('exact ref lookup', () => {
  it('answers the ref named exactly, like for-each-ref, even where git would DWIM another name', async () => {
    expect(await repo.refValue('refs/heads/main')).toBe(b);
    expect(await repo.refValue('refs/heads/nope')).toBeNull();
    expect(await repo.refValue('refs/heads')).toBeNull(); // a directory of refs, not a ref
    expect(await repo.refValue('refs/heads/a..b')).toBeNull(); // not a ref name at all
    // `refs/heads/refs/heads/ghost` exists, `refs/heads/ghost` does not: rev-parse would DWIM to the first
    expect(await setRef(repo.path, 'refs/heads/refs/heads/ghost', a)).toBe(true);
    expect(refOf('refs/heads/ghost')).toBe(a);
    expect(await repo.refValue('refs/heads/ghost')).toBeNull();
    expect(await repo.refValue('refs/heads/refs/heads/ghost')).toBe(a);
    expect(await setRef(repo.path, 'refs/heads/ghost', b)).toBe(true);
    expect(await repo.refValue('refs/heads/ghost')).toBe(b);
  });
});
