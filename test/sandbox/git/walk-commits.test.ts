/**
 * The sandbox's short commit walks (walk-commits.ts) answer only what git would answer, and say "ask git"
 * (null) otherwise; compareCommits and mergeTrees, which use them first, give git's answers. git is the
 * oracle: every case is checked against `merge-base --is-ancestor`, `rev-list` and `merge-tree`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { compareCommits, isAncestorCommit } from '../../../src/sandbox/git/compare-commits.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { mergeTrees } from '../../../src/sandbox/git/merge-trees.ts';
import { closeObjectReaders } from '../../../src/sandbox/git/object-reader.ts';
import { walkCommitsSince, walkIsAncestor } from '../../../src/sandbox/git/walk-commits.ts';
import { commitTree, writeTree } from '../../../src/sandbox/git/write-commit.ts';

let dir: string;
let repo: BareRepo;
const who = { name: 'Dev', email: 'dev@example.com' };
let n = 0;

function git(args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync('git', [`--git-dir=${repo.path}`, ...args], { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] }).toString('utf8').trim() };
  } catch (err) {
    const e = err as { status: number; stdout: Buffer };
    return { code: e.status, out: e.stdout?.toString('utf8').trim() ?? '' };
  }
}

/** A commit on `parents` changing `file` (each commit its own content). */
async function commit(parents: string[], file = 'a.txt'): Promise<string> {
  n += 1;
  const base = parents[0] ? git(['rev-parse', `${parents[0]}^{tree}`]).out : null;
  const tree = await writeTree(repo.path, base, { [file]: `content ${n}\n` });
  return commitTree(repo.path, { tree, parents, message: `c${n}`, author: who, committer: who, now: new Date(n * 1000) });
}

async function chain(from: string | null, length: number, file?: string): Promise<string[]> {
  const out: string[] = [];
  let cur = from;
  for (let i = 0; i < length; i++) out.push((cur = await commit(cur ? [cur] : [], file)));
  return out;
}

const oracleAncestor = (a: string, d: string): boolean => git(['merge-base', '--is-ancestor', a, d]).code === 0;
const oracleSince = (base: string, head: string): string[] => git(['rev-list', '--reverse', '--topo-order', head, `^${base}`]).out.split('\n').filter(Boolean);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-walk-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
});
afterAll(() => {
  closeObjectReaders(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('short commit walks', () => {
  it('answer ancestry as git does, or leave it to git', async () => {
    const [root, b1, b2] = await chain(null, 3);
    const side = await chain(b1!, 2, 'side.txt');
    const merge = await commit([b2!, side[1]!]);
    const other = await chain(null, 2, 'other.txt'); // unrelated history
    const deep = await chain(b2!, 40);
    const cases: Array<[string, string]> = [
      [root!, b2!], [b2!, root!], [b1!, merge], [side[0]!, merge], [merge, b2!], [b2!, side[1]!], [other[0]!, merge], [b2!, b2!],
      [root!, deep[39]!], [deep[30]!, deep[39]!], [other[0]!, deep[39]!],
    ];
    let walked = 0;
    for (const [a, d] of cases) {
      const answer = await walkIsAncestor(repo.path, a, d);
      if (answer !== null) walked++;
      if (answer !== null) expect(answer, `${a} in ${d}`).toBe(oracleAncestor(a, d));
      expect(await isAncestorCommit(repo.path, a, d)).toBe(oracleAncestor(a, d));
    }
    expect(walked).toBeGreaterThanOrEqual(8); // the near cases are answered by the walk
    expect(await walkIsAncestor(repo.path, root!, deep[39]!)).toBeNull(); // 40 commits back: git's question
  });

  it('list base..head as rev-list does for a chain and for a merge commit of a chain, and leave the rest to git', async () => {
    const [base] = await chain(null, 1, 'base.txt');
    const branch = await chain(base!, 3, 'branch.txt');
    const merge = await commit([base!, branch[2]!]);
    const squash = await commit([base!], 'squash.txt');
    const moved = await commit([base!], 'moved.txt'); // base moved: branch..moved is not base-relative
    const mergeOfMoved = await commit([moved, branch[2]!]);
    for (const [b, h] of [[base!, branch[2]!], [base!, merge], [base!, squash], [base!, base!], [branch[0]!, branch[2]!]]) {
      expect(await walkCommitsSince(repo.path, b!, h!), `${b}..${h}`).toEqual(oracleSince(b!, h!));
    }
    expect(await walkCommitsSince(repo.path, branch[2]!, moved)).toBeNull(); // not an ancestor
    expect(await walkCommitsSince(repo.path, base!, mergeOfMoved)).toBeNull(); // its first parent is not base
    for (const [b, h] of [[base!, merge], [branch[2]!, moved], [base!, mergeOfMoved], [moved, branch[2]!]]) {
      const cmp = await compareCommits(repo.path, b!, h!);
      expect(cmp.commits).toEqual(oracleSince(b!, h!));
      expect(cmp.mergeBase).toBe(git(['merge-base', b!, h!]).out || null);
    }
  });

  it('merge two commits one behind the other to the descendant\'s tree, as merge-tree does', async () => {
    const [base] = await chain(null, 1, 'm.txt');
    const ahead = await chain(base!, 2, 'n.txt');
    const beside = await commit([base!], 'o.txt');
    for (const [x, y] of [[base!, ahead[1]!], [ahead[1]!, base!], [ahead[1]!, beside]]) {
      const oracle = git(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', x!, y!]);
      const merged = await mergeTrees(repo.path, x!, y!);
      expect(merged).toEqual({ clean: true, tree: oracle.out.split('\0')[0] });
    }
  });
});
