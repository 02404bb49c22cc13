import { treeOf } from './read-objects.ts';
import { walkIsAncestor } from './walk-commits.ts';
import { BoundedCache, objectsKey } from './bounded-cache.ts';
import { GitCommandError } from './errors.ts';
import { runGit } from './run-git.ts';
import type { MergeTreeResult } from './types.ts';

/**
 * Three-way merges two commits without a work tree (`git merge-tree --write-tree`, git ≥ 2.38).
 * Exit 0 → clean tree; exit 1 → conflicts (file names listed). Unrelated histories count as
 * conflicting with no file list, like a PR GitHub cannot merge.
 */
export async function mergeTrees(gitDir: string, base: string, head: string): Promise<MergeTreeResult> {
  const merged = await merges.getOrCompute(objectsKey(gitDir, base, head), () => mergeOnce(gitDir, base, head));
  return merged.clean ? { ...merged } : { clean: false, conflicts: [...merged.conflicts] };
}

/**
 * Keyed by the two commit ids: their merge (tree or conflicting files) never changes, and a PR's test merge is
 * computed again on every push to its base even when neither side moved for it.
 */
const merges = new BoundedCache<MergeTreeResult>(5_000);

async function mergeOnce(gitDir: string, base: string, head: string): Promise<MergeTreeResult> {
  // One side behind the other (a branch nothing has landed beside): the merge is the other side's tree, as
  // merge-tree would say; a short walk through the batch reader knows that without starting git.
  const [baseBehind, headBehind] = await Promise.all([walkIsAncestor(gitDir, base, head).catch(() => null), walkIsAncestor(gitDir, head, base).catch(() => null)]);
  if (baseBehind) return { clean: true, tree: await treeOf(gitDir, head) };
  if (headBehind) return { clean: true, tree: await treeOf(gitDir, base) };
  const result = await runGit(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', base, head], {
    gitDir,
    okCodes: [0, 1, 128],
  });
  if (result.code === 128) {
    if (/unrelated histories/.test(result.stderr)) return { clean: false, conflicts: [] };
    throw new GitCommandError({ args: ['merge-tree', base, head], exitCode: 128, stderr: result.stderr, cwd: gitDir });
  }
  const fields = result.stdout.toString('utf8').split('\0').filter((f) => f !== '');
  if (result.code === 0) return { clean: true, tree: fields[0] };
  return { clean: false, conflicts: [...new Set(fields.slice(1))] };
}
