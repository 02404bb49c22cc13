import { mergeTrees } from './merge-trees.ts';
import { readCommit, treeOf } from './read-objects.ts';
import { runGit } from './run-git.ts';
import type { MergeMethod, Person } from './types.ts';
import { commitTree } from './write-commit.ts';

export type BuildResult =
  | { ok: true; sha: string }
  | { ok: false; reason: 'conflict' | 'not_rebaseable'; message: string };

export const NOT_MERGEABLE = 'Pull Request is not mergeable';
export const NOT_REBASEABLE = "This branch can't be rebased";

/** base..head, oldest first, each with its parents. */
async function commitsToReplay(gitDir: string, base: string, head: string): Promise<Array<{ sha: string; parents: string[] }>> {
  const { stdout } = await runGit(['rev-list', '--reverse', '--topo-order', '--parents', head, `^${base}`], { gitDir });
  return stdout
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, ...parents] = line.split(' ');
      return { sha, parents };
    });
}

/**
 * Replays each commit of base..head onto base like GitHub's rebase-merge. git 2.39 has no
 * `merge-tree --merge-base`, so each pick merges commit c with a synthetic commit whose tree is the
 * current tip and whose only parent is c^: their merge base is then exactly c^, i.e. a cherry-pick.
 */
async function rebaseOnto(gitDir: string, base: string, head: string, committer: Person, now: Date): Promise<BuildResult> {
  const commits = await commitsToReplay(gitDir, base, head);
  if (commits.some((c) => c.parents.length !== 1)) {
    return { ok: false, reason: 'not_rebaseable', message: `${NOT_REBASEABLE}: it contains merge commits` };
  }
  let cur = base;
  for (const c of commits) {
    const parent = c.parents[0];
    let tree: string;
    if (parent === cur) {
      tree = await treeOf(gitDir, c.sha);
    } else {
      const synthetic = await commitTree(gitDir, { tree: await treeOf(gitDir, cur), parents: [parent], message: 'unwind synthetic rebase parent', author: committer, committer, now });
      const merged = await mergeTrees(gitDir, synthetic, c.sha);
      if (!merged.clean) return { ok: false, reason: 'not_rebaseable', message: `${NOT_REBASEABLE}: ${c.sha} conflicts in ${merged.conflicts.join(', ')}` };
      tree = merged.tree;
    }
    const original = await readCommit(gitDir, c.sha);
    const becameEmpty = tree === (await treeOf(gitDir, cur)) && original.tree !== (await treeOf(gitDir, parent));
    if (becameEmpty) continue; // already applied upstream: dropped, like `git rebase`
    cur = await commitTree(gitDir, { tree, parents: [cur], message: original.message, author: original.author, committer, now });
  }
  return { ok: true, sha: cur };
}

/** Builds (but does not publish) the commit a PR merge produces on top of `base`. */
export async function buildMergeCommit(
  gitDir: string,
  p: { method: MergeMethod; base: string; head: string; title: string; message: string; committer: Person; author?: Person; now?: Date },
): Promise<BuildResult> {
  const now = p.now ?? new Date();
  if (p.method === 'rebase') return rebaseOnto(gitDir, p.base, p.head, p.committer, now);
  const merged = await mergeTrees(gitDir, p.base, p.head);
  if (!merged.clean) {
    const files = merged.conflicts.length > 0 ? `: conflicts in ${merged.conflicts.join(', ')}` : '';
    return { ok: false, reason: 'conflict', message: `${NOT_MERGEABLE}${files}` };
  }
  const message = p.message.trim() === '' ? p.title : `${p.title}\n\n${p.message}`;
  const parents = p.method === 'merge' ? [p.base, p.head] : [p.base];
  const sha = await commitTree(gitDir, { tree: merged.tree, parents, message, author: p.author ?? p.committer, committer: p.committer, now });
  return { ok: true, sha };
}
