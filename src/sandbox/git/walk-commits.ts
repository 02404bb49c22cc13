/**
 * Ancestry answered from a few commits read through the batch reader, instead of starting `git merge-base`
 * or `git rev-list`: the questions a revert PR's life asks are about commits a step or two apart (is the
 * reverted commit still the branch's tip? which commits did this merge land?). A walk answers only when its
 * answer is certain within WALK_LIMIT commits; otherwise the caller asks git (compare-commits.ts).
 */
import { readCommit } from './read-objects.ts';

/** Commits a walk reads at most before it gives the question to git. */
const WALK_LIMIT = 32;

/**
 * Whether `ancestor` is reachable from `descendant`: true once a walk back from `descendant` meets it; false
 * when every path back has ended at a root commit without meeting it; null when the walk reached its limit.
 */
export async function walkIsAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean | null> {
  if (ancestor === descendant) return true;
  const seen = new Set<string>([descendant]);
  let frontier = [descendant];
  while (frontier.length) {
    const next: string[] = [];
    for (const c of await Promise.all(frontier.map((sha) => readCommit(gitDir, sha)))) {
      for (const parent of c.parents) {
        if (parent === ancestor) return true;
        if (seen.has(parent)) continue;
        if (seen.size >= WALK_LIMIT) return null;
        seen.add(parent);
        next.push(parent);
      }
    }
    frontier = next;
  }
  return false;
}

/**
 * base..head oldest first, as `git rev-list --reverse --topo-order head ^base` lists it, when every path back
 * from `head` reaches `base` within the limit (so `base` is an ancestor of `head`, and no commit met is one of
 * `base`'s: an ancestor of `base` would lead back past it to a root) and the commits met form a chain, or a
 * merge of a chain into `base` (a PR merged with a merge commit). Null for anything else: git answers then.
 */
export async function walkCommitsSince(gitDir: string, base: string, head: string): Promise<string[] | null> {
  if (base === head) return [];
  const top = await readCommit(gitDir, head);
  if (top.parents.length === 2 && top.parents[0] === base) {
    // A merge commit on `base`: what its second parent brings, then the merge itself.
    const brought = await chainBack(gitDir, top.parents[1]!, base, WALK_LIMIT - 1);
    return brought ? [...brought, head] : null;
  }
  return chainBack(gitDir, head, base, WALK_LIMIT);
}

/** The single-parent chain from `from` back to (not including) `base`, oldest first; null if it is not one. */
async function chainBack(gitDir: string, from: string, base: string, limit: number): Promise<string[] | null> {
  const chain: string[] = [];
  let cur = from;
  while (cur !== base) {
    if (chain.length >= limit) return null;
    const c = await readCommit(gitDir, cur);
    if (c.parents.length !== 1) return null;
    chain.push(cur);
    cur = c.parents[0]!;
  }
  return chain.reverse();
}
