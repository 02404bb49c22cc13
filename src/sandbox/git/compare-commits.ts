/**
 * Ancestry facts between two commits, cached by their ids: the commit graph behind two ids never changes,
 * and the same pairs are asked about many times per request (a PR's compare when it is opened, its
 * mergeability, the push that follows, the API's compare).
 */
import { BoundedCache, objectsKey } from './bounded-cache.ts';
import { runGit } from './run-git.ts';

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
    const [counts, mb, list] = await Promise.all([
      runGit(['rev-list', '--left-right', '--count', `${base}...${head}`], { gitDir }),
      runGit(['merge-base', base, head], { gitDir, okCodes: [0, 1] }),
      runGit(['rev-list', '--reverse', '--topo-order', head, `^${base}`], { gitDir }),
    ]);
    const [behindBy, aheadBy] = counts.stdout.toString('utf8').trim().split(/\s+/).map(Number);
    return {
      aheadBy,
      behindBy,
      mergeBase: mb.code === 0 ? mb.stdout.toString('utf8').trim() : null,
      commits: list.stdout.toString('utf8').split('\n').filter(Boolean),
    };
  });
}

/** Whether commit `ancestor` is reachable from commit `descendant` (both full ids). */
export function isAncestorCommit(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return ancestry.getOrCompute(objectsKey(gitDir, ancestor, descendant), async () => {
    const result = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], { gitDir, okCodes: [0, 1] });
    return result.code === 0;
  });
}
