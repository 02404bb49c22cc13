/**
 * Commit and tree reads through the repository's batch reader (object-reader.ts), with parsed commits
 * cached by id: a commit never changes, and the same ones are read again and again (push payloads, PR
 * stats, compare, the commit API).
 */
import { BoundedCache, objectsKey } from './bounded-cache.ts';
import { objectContents, objectInfo } from './object-reader.ts';
import { parseCommit } from './parse-commit.ts';
import { runGit } from './run-git.ts';
import type { CommitData } from './types.ts';
import { assertSha } from './validate-input.ts';

const commits = new BoundedCache<CommitData>(20_000);

function copy(c: CommitData): CommitData {
  return { ...c, parents: [...c.parents], author: { ...c.author }, committer: { ...c.committer } };
}

/** The commit `sha` (a full id) of this repository, parsed; throws like `git cat-file commit` when absent. */
export async function readCommit(gitDir: string, sha: string): Promise<CommitData> {
  assertSha('commit', sha);
  const key = objectsKey(gitDir, sha)!;
  const hit = commits.get(key);
  if (hit) return copy(hit);
  const object = await objectContents(gitDir, sha);
  let parsed: CommitData;
  if (object?.type === 'commit') {
    parsed = parseCommit(sha, object.data.toString('utf8'));
  } else {
    // a tag (peeled by cat-file) or nothing: git's own answer and error, as before
    parsed = parseCommit(sha, (await runGit(['cat-file', 'commit', sha], { gitDir })).stdout.toString('utf8'));
  }
  commits.set(key, parsed);
  return copy(parsed);
}

/** The tree id of the commit `sha` (a full id); throws when it has none. */
export async function treeOf(gitDir: string, sha: string): Promise<string> {
  const info = await objectInfo(gitDir, `${assertSha('commit', sha)}^{tree}`);
  if (!info) throw new Error(`sandbox git: ${sha} has no tree in ${gitDir}`);
  return info.oid;
}
