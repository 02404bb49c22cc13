/**
 * Ancestry facts between two commits, cached by their ids: the commit graph behind two ids never changes,
 * and the same pairs are asked about many times per request (a PR's compare when it is opened, its
 * mergeability, the push that follows, the API's compare).
 */
import { BoundedCache, objectsKey } from './bounded-cache.ts';
import { runGit } from './run-git.ts';
import { walkCommitsSince, walkIsAncestor } from './walk-commits.ts';

export interface Comparison {
  aheadBy: number;
  behindBy: number;
  mergeBase: string | null;
  /** base..head, oldest first */
  commits: string[];
}

const comparisons = new BoundedCache<Comparison>(5_000);
const ancestry = new BoundedCache<boolean>(20_000);

/** GitHub's compare of two commit ids (callers copy `commits` before changing it). */
export function compareCommits(gitDir: string, base: string, head: string): Promise<Comparison> {
  return comparisons.getOrCompute(objectsKey(gitDir, base, head), async () => {
    // A few commits apart (a PR's branch, its merge): read through the batch reader, no process started.
    const walked = await walkCommitsSince(gitDir, base, head).catch(() => null);
    if (walked) return { aheadBy: walked.length, behindBy: 0, mergeBase: base, commits: walked };
    const list = async (): Promise<string[]> =>
      (await runGit(['rev-list', '--reverse', '--topo-order', head, `^${base}`], { gitDir })).stdout.toString('utf8').split('\n').filter(Boolean);
    if (await isAncestorCommit(gitDir, base, head)) {
      // The common case (a push, a branch off its base): the merge base is `base`, nothing is behind, and
      // ahead is the length of base..head, so one rev-list answers what three did.
      const commits = await list();
      return { aheadBy: commits.length, behindBy: 0, mergeBase: base, commits };
    }
    const [counts, mb, commits] = await Promise.all([
      runGit(['rev-list', '--left-right', '--count', `${base}...${head}`], { gitDir }),
      runGit(['merge-base', base, head], { gitDir, okCodes: [0, 1] }),
      list(),
    ]);
    const [behindBy, aheadBy] = counts.stdout.toString('utf8').trim().split(/\s+/).map(Number);
    return { aheadBy, behindBy, mergeBase: mb.code === 0 ? mb.stdout.toString('utf8').trim() : null, commits };
  });
}

/** Whether commit `ancestor` is reachable from commit `descendant` (both full ids). */
export function isAncestorCommit(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return ancestry.getOrCompute(objectsKey(gitDir, ancestor, descendant), async () => {
    const walked = await walkIsAncestor(gitDir, ancestor, descendant).catch(() => null);
    if (walked !== null) return walked;
    const result = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], { gitDir, okCodes: [0, 1] });
    return result.code === 0;
  });
}
