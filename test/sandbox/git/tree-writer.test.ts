/**
 * The tree a commit gets from writeTreeWithoutIndex (batch reader + long-lived mktree) must be the one the index
 * dance (read-tree, update-index, write-tree: writeTree, kept as the oracle) gave, case by case.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { closeObjectReaders } from '../../../src/sandbox/git/object-reader.ts';
import { writeTreeWithoutIndex } from '../../../src/sandbox/git/tree-writer.ts';
import { writeTree } from '../../../src/sandbox/git/write-commit.ts';

let dir: string;
let repo: BareRepo;
let base: string;

function git(args: string[], input?: string): string {
  return execFileSync('git', [`--git-dir=${repo.path}`, ...args], { env: gitEnv(), input }).toString('utf8').trim();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-tree-writer-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
  const start = await writeTree(repo.path, null, {
    'README.md': '# r\n',
    'a/b/c.txt': 'c\n',
    'a/b/d.txt': 'd\n',
    'a/e.txt': 'e\n',
    'only/child.txt': 'x\n',
    'sp ace/ünï.md': 'u\n',
    'f': 'file f\n',
  });
  // an executable and a symlink, as git itself writes them
  const listing = git(['ls-tree', start]);
  const blob = git(['hash-object', '-w', '--stdin'], 'README.md');
  const exe = git(['hash-object', '-w', '--stdin'], '#!/bin/sh\n');
  base = git(['mktree'], `${listing}\n120000 blob ${blob}\tlink\n100755 blob ${exe}\trun.sh\n`);
});

afterAll(() => {
  closeObjectReaders(dir);
  rmSync(dir, { recursive: true, force: true });
});

const cases: Array<[string, Record<string, string | Buffer | null>]> = [
  ['a new file at the root', { 'new.txt': 'n\n' }],
  ['a new file in new directories', { 'x/y/z/new.txt': 'n\n' }],
  ['a changed nested file', { 'a/b/c.txt': 'C\n' }],
  ['binary content', { 'a/bin': Buffer.from([0, 255, 10, 0]) }],
  ['a deleted file', { 'a/e.txt': null }],
  ['a deleted file that empties its directory', { 'only/child.txt': null }],
  ['deleting an absent file', { 'nope/nothing.txt': null }],
  ['deleting a directory path (a no-op for the index)', { 'a/b': null }],
  ['deleting below a file', { 'f/g': null }],
  ['a file where a file is in the way', { 'f/g.txt': 'g\n' }],
  ['a file where a directory is', { 'a/b': 'now a file\n' }],
  ['an executable and a symlink rewritten', { 'run.sh': 'echo\n', link: 'target\n' }],
  ['a deleted symlink', { link: null }],
  ['names with spaces and unicode', { 'sp ace/ünï.md': 'v\n', 'sp ace/nëw file.txt': 'w\n' }],
  ['several changes, later ones over earlier', { 'm/1.txt': '1\n', 'm/1.txt/2.txt': '2\n', 'a/b/d.txt': null, 'a/b/c.txt': null }],
  ['everything deleted', { 'README.md': null, 'a/b/c.txt': null, 'a/b/d.txt': null, 'a/e.txt': null, 'only/child.txt': null, 'sp ace/ünï.md': null, f: null, link: null, 'run.sh': null }],
  ['an empty file', { 'empty.txt': '' }],
  // git orders a directory's name as if it ended in '/': 'a-x' and 'a.x' before the directory 'a', 'a0' after it.
  ['names that sort around a directory', { 'a.x': '.\n', 'a-x/y.txt': '-\n', a0: '0\n', 'a/b.c': 'bc\n', 'A/up.txt': 'A\n' }],
];

describe('writeTreeWithoutIndex', () => {
  it.each(cases)('writes the tree the index did: %s', async (_, files) => {
    const tree = await writeTreeWithoutIndex(repo.path, base, files);
    expect(tree).toBe(await writeTree(repo.path, base, files));
    // git reads the object this process wrote (written first, so git's own write-tree left it as it was).
    expect(git(['ls-tree', '-r', '-t', tree])).toBe(git(['ls-tree', '-r', '-t', await writeTree(repo.path, base, files)]));
  });

  it('starts from no tree at all, like read-tree --empty', async () => {
    const files = { 'a.txt': 'a\n', 'd/b.txt': 'b\n', 'gone.txt': null };
    expect(await writeTreeWithoutIndex(repo.path, null, files)).toBe(await writeTree(repo.path, null, files));
    expect(await writeTreeWithoutIndex(repo.path, null, {})).toBe(await writeTree(repo.path, null, {}));
  });

  it('answers many concurrent writes in order', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, (_, n) => writeTreeWithoutIndex(repo.path, base, { [`c/${n}.txt`]: `${n}\n` })));
    for (let n = 0; n < 20; n++) expect(all[n]).toBe(await writeTree(repo.path, base, { [`c/${n}.txt`]: `${n}\n` }));
  });
});
