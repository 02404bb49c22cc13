/** Withdrawing a revert that must not land: its open PR is closed and its branch deleted. */
import { GitHubError } from '../github/errors.ts';
import type { GitHubPort } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { StepState } from './state.ts';

/** Closes the step's revert PR if open and deletes its branch if present; returns the PR's URL when there was one. */
export async function withdrawRevert(port: GitHubPort, step: StepState): Promise<string | null> {
  const repo = parseRepo(step.repo);
  if (step.pr) {
    const pr = await port.getPull(repo, step.pr.number);
    if (pr && pr.state === 'open') await port.updatePull(repo, step.pr.number, { state: 'closed' });
  }
  if (await port.getBranchSha(repo, step.branch)) await port.deleteBranch(repo, step.branch).catch(ignoreMissing);
  return step.pr?.url ?? null;
}

function ignoreMissing(err: unknown): void {
  if (err instanceof GitHubError && (err.status === 404 || err.status === 422)) return;
  throw err;
}
