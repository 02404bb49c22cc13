/**
 * What GitHub's "Revert" computes, without a work tree: each commit reverted onto the current tip of the
 * base branch, newest first (a merge commit against its first parent, like `git revert -m 1`).
 *
 * git 2.39 has no `merge-tree --merge-base`, so each revert merges two synthetic commits that share the
 * reverted commit C as their only parent: one with the current tip's tree, one with C's parent's tree.
 * Their merge base is C, so the three-way merge is exactly `git revert C` (as rebaseOnto does for picks).
 */
import { mergeTrees } from '../git/merge-trees.ts';
import { readCommit, treeOf } from '../git/read-objects.ts';
import type { MergeTreeResult, Person } from '../git/types.ts';
import { commitTree } from '../git/write-commit.ts';

export type RevertOutcome =
  | { readonly kind: 'reverted'; readonly sha: string }
  | { readonly kind: 'conflict'; readonly sha: string; readonly files: readonly string[] }
  /** The commits' changes are already gone from the tip: the revert would be empty. */
  | { readonly kind: 'empty' };

/** Reverts `commits` (newest first) on top of `tip`; returns the last revert commit (not on any ref yet). */
export async function revertCommits(gitDir: string, p: { tip: string; commits: readonly string[]; author: Person; committer: Person; now: Date }): Promise<RevertOutcome> {
  let cur = p.tip;
  const scratch: Person = p.committer;
  for (const sha of p.commits) {
    const [c, curTree] = await Promise.all([readCommit(gitDir, sha), treeOf(gitDir, cur)]);
    const parent = c.parents[0];
    if (!parent) return { kind: 'conflict', sha, files: [] }; // a root commit: nothing to revert it to
    const reverted = await revertedTree(gitDir, { sha, parent, curTree, scratch, now: p.now });
    if (!reverted.clean) return { kind: 'conflict', sha, files: reverted.conflicts };
    if (reverted.tree === curTree) continue; // this one is already undone
    cur = await commitTree(gitDir, { tree: reverted.tree, parents: [cur], message: revertMessage(c.message, sha, parent, c.parents.length > 1), author: p.author, committer: p.committer, now: p.now });
  }
  return cur === p.tip ? { kind: 'empty' } : { kind: 'reverted', sha: cur };
}

/** The tree `curTree` becomes with commit `sha` (against `parent`) reverted, or the files that conflict. */
async function revertedTree(gitDir: string, r: { sha: string; parent: string; curTree: string; scratch: Person; now: Date }): Promise<MergeTreeResult> {
  // The tip still has exactly the commit's tree (it is the tip, or what came after it is undone): the three-way
  // merge would give the parent's tree, with nothing to conflict.
  if (r.curTree === (await treeOf(gitDir, r.sha))) return { clean: true, tree: await treeOf(gitDir, r.parent) };
  const [ours, theirs] = await Promise.all([
    commitTree(gitDir, { tree: r.curTree, parents: [r.sha], message: 'sandbox revert: tip', author: r.scratch, committer: r.scratch, now: r.now }),
    treeOf(gitDir, r.parent).then((tree) => commitTree(gitDir, { tree, parents: [r.sha], message: 'sandbox revert: parent', author: r.scratch, committer: r.scratch, now: r.now })),
  ]);
  return mergeTrees(gitDir, ours, theirs);
}

/** git revert's message for a commit (`-m 1` for a merge). */
function revertMessage(original: string, sha: string, parent: string, merge: boolean): string {
  const subject = original.split('\n')[0];
  return merge ? `Revert "${subject}"\n\nThis reverts commit ${sha}, reversing\nchanges made to ${parent}.` : `Revert "${subject}"\n\nThis reverts commit ${sha}.`;
}
