/**
 * The sandbox writes commit and blob objects itself (commitTree, writeLooseObject in write-commit.ts): each must
 * be the object `git commit-tree` / `git hash-object -w` writes for the same input, and git must read it soundly.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { closeObjectReaders } from '../../../src/sandbox/git/object-reader.ts';
import type { Person } from '../../../src/sandbox/git/types.ts';
import { commitTree, writeLooseObject, writeTree } from '../../../src/sandbox/git/write-commit.ts';

let dir: string;
let repo: BareRepo;
let tree: string;
let parent: string;
let other: string;

function git(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): string {
  return execFileSync('git', [`--git-dir=${repo.path}`, ...args], { env: gitEnv({}, opts.env), input: opts.input }).toString('utf8').trim();
}

/** What `git commit-tree` makes of the same input (the oracle). */
function byGit(p: { tree: string; parents: string[]; message: string; author: Person; committer: Person; now: Date }): string {
  const env: Record<string, string> = {};
  for (const [kind, who] of [['AUTHOR', p.author], ['COMMITTER', p.committer]] as const) {
    env[`GIT_${kind}_NAME`] = who.name;
    env[`GIT_${kind}_EMAIL`] = who.email;
    env[`GIT_${kind}_DATE`] = `@${Math.floor((who.date ?? p.now).getTime() / 1000)} +0000`;
  }
  return git(['commit-tree', p.tree, ...p.parents.flatMap((s) => ['-p', s])], { input: p.message.endsWith('\n') ? p.message : `${p.message}\n`, env });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-write-commit-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
  tree = await writeTree(repo.path, null, { 'README.md': '# r\n' });
  parent = byGit({ tree, parents: [], message: 'root', author: { name: 'A', email: 'a@x' }, committer: { name: 'A', email: 'a@x' }, now: new Date(0) });
  other = byGit({ tree, parents: [], message: 'other root', author: { name: 'A', email: 'a@x' }, committer: { name: 'A', email: 'a@x' }, now: new Date(0) });
});
afterAll(() => {
  closeObjectReaders(dir);
  rmSync(dir, { recursive: true, force: true });
});

const alice: Person = { name: 'Alice Oncall', email: 'alice@example.com' };
const github: Person = { name: 'GitHub', email: 'noreply@github.com' };
const at = new Date('2026-03-04T05:06:07.890Z');

describe('commitTree', () => {
  it.each([
    ['one parent', { parents: () => [parent], message: 'Revert "x"\n\nThis reverts commit abc.', author: alice, committer: github }],
    ['a merge commit', { parents: () => [parent, other], message: 'Merge pull request #1 from o/b\n\nTitle\n', author: alice, committer: github }],
    ['no parent, message without a newline', { parents: () => [], message: 'root', author: alice, committer: alice }],
    ['blank lines and spaces kept as given', { parents: () => [parent], message: '\n  title  \n\n\nbody   \n\n', author: alice, committer: github }],
    ['non-ASCII names and messages', { parents: () => [parent], message: 'Rückgängig: „x“ ✓', author: { name: 'Zoë Ünï', email: 'zoe@exämple.com' }, committer: github }],
    ['a parent given twice (git drops the second)', { parents: () => [parent, parent], message: 'm', author: alice, committer: github }],
    ['its own dates', { parents: () => [parent], message: 'm', author: { ...alice, date: new Date(86_400_000) }, committer: { ...github, date: new Date(0) } }],
    ['a name git tidies (goes through git)', { parents: () => [parent], message: 'm', author: { name: ' Bob. ', email: 'bob@x' }, committer: github }],
  ])('writes what git commit-tree writes: %s', async (_, c) => {
    const input = { tree, parents: c.parents(), message: c.message, author: c.author, committer: c.committer, now: at };
    const sha = await commitTree(repo.path, input);
    expect(sha).toBe(byGit(input));
    expect(git(['cat-file', '-t', sha])).toBe('commit');
  });

  it('leaves a sound object store (git fsck) and writes an object once', async () => {
    const input = { tree, parents: [parent], message: 'again', author: alice, committer: github, now: at };
    const first = await commitTree(repo.path, input);
    expect(await commitTree(repo.path, input)).toBe(first);
    execFileSync('git', [`--git-dir=${repo.path}`, 'fsck', '--strict', '--no-dangling'], { env: gitEnv() });
  });

  it('writes blobs as git hash-object -w --stdin does: empty, text, binary', async () => {
    for (const content of [Buffer.alloc(0), Buffer.from('a line\nand ünïcode\r\n'), Buffer.from([0, 1, 2, 255, 0, 10])]) {
      const sha = await writeLooseObject(repo.path, 'blob', content);
      expect(sha).toBe(execFileSync('git', [`--git-dir=${repo.path}`, 'hash-object', '--stdin'], { env: gitEnv(), input: content }).toString('utf8').trim());
      expect(execFileSync('git', [`--git-dir=${repo.path}`, 'cat-file', 'blob', sha], { env: gitEnv() })).toEqual(content);
    }
    execFileSync('git', [`--git-dir=${repo.path}`, 'fsck', '--strict', '--no-dangling'], { env: gitEnv() });
  });

  it('refuses what git refuses: a tree that is not there', async () => {
    await expect(commitTree(repo.path, { tree: 'f'.repeat(40), parents: [], message: 'm', author: alice, committer: alice })).rejects.toThrow();
    await expect(commitTree(repo.path, { tree, parents: [], message: 'm', author: { name: 'x<y', email: 'e' }, committer: alice })).rejects.toThrow(/author/);
  });
});
