/**
 * After a revert PR merged: the default branch must no longer carry the reverted change. Each file a
 * reverted commit touched must equal its content before that commit; when a later commit changed
 * the file again, the difference is reported as drift instead of being hidden.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import type { StepState } from './state.ts';

export async function findDrift(port: GitHubPort, repo: RepoRef, defaultBranch: string, step: StepState): Promise<string[]> {
  const head = await port.getBranchSha(repo, defaultBranch);
  if (!head) return [`branch ${defaultBranch} is missing`];
  const drift: string[] = [];
  for (const target of step.targets) {
    const commit = await port.getCommit(repo, target.sha);
    const before = commit?.parents[0];
    if (!before) {
      drift.push(`${target.sha.slice(0, 7)}: cannot read the commit before it`);
      continue;
    }
    for (const file of target.files) {
      const [now, then] = await Promise.all([port.getFile(repo, file, head), port.getFile(repo, file, before)]);
      if ((now?.blobSha ?? null) !== (then?.blobSha ?? null)) drift.push(file);
    }
  }
  return [...new Set(drift)].sort();
}
