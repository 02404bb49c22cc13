/**
 * After a revert PR merged: the default branch must no longer carry the reverted change. Each file a
 * reverted commit touched must equal its content before that commit; when a later commit changed
 * the file again, the difference is reported as drift instead of being hidden.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import type { StepState } from './state.ts';
import { mapBounded } from '../shared/map-bounded.ts';

export async function findDrift(port: GitHubPort, repo: RepoRef, defaultBranch: string, step: StepState): Promise<string[]> {
  // The branch head and every reverted commit at once, then the file pairs (a few at a time): verification
  // sits between a wave's merges and the next wave, so its round trips are on the rollback's critical path.
  const [head, commits] = await Promise.all([port.getBranchSha(repo, defaultBranch), Promise.all(step.targets.map((t) => port.getCommit(repo, t.sha)))]);
  if (!head) return [`branch ${defaultBranch} is missing`];
  const drift: string[] = [];
  const pairs: Array<{ file: string; before: string }> = [];
  step.targets.forEach((target, i) => {
    const before = commits[i]?.parents[0];
    if (!before) drift.push(`${target.sha.slice(0, 7)}: cannot read the commit before it`);
    else for (const file of target.files) pairs.push({ file, before });
  });
  const changed = await mapBounded(pairs, FILES_AT_ONCE, async ({ file, before }) => {
    const [now, then] = await Promise.all([port.getFile(repo, file, head), port.getFile(repo, file, before)]);
    return (now?.blobSha ?? null) !== (then?.blobSha ?? null);
  });
  pairs.forEach((p, i) => changed[i] && drift.push(p.file));
  return [...new Set(drift)].sort();
}

/** File pairs compared at once (two reads each). */
const FILES_AT_ONCE = 8;
