/** `PUT /pulls/{n}/update-branch`: merges the base into the head branch (a push to the head). */
import type { SandboxContext } from '../context.ts';
import { HttpError } from '../http/http-error.ts';
import type { PullState, RepoState } from '../state/model.ts';
import { applyRefUpdates } from './apply-ref-updates.ts';
import { repoKey } from './repo-key.ts';
import { gitIdentity } from '../objects/commit.ts';

export async function updateBranch(ctx: SandboxContext, repo: RepoState, pull: PullState, by: string): Promise<void> {
  const git = ctx.git(repoKey(repo));
  const baseSha = await git.resolve(`refs/heads/${pull.baseRef}`);
  if (!baseSha) throw new HttpError(422, 'Base branch does not exist');
  if (await git.isAncestor(baseSha, pull.headSha)) throw new HttpError(422, 'There are no new commits on the base branch.');
  const before = pull.headSha;
  const result = await git.merge({
    method: 'merge',
    baseRef: `refs/heads/${pull.headRef}`,
    expectedBaseSha: before,
    headSha: baseSha,
    title: `Merge branch '${pull.baseRef}' into ${pull.headRef}`,
    message: '',
    committer: { name: 'GitHub', email: 'noreply@github.com', date: ctx.now() },
    // The same identity as every other write by `by` (no `0+login` address for a login without an account).
    author: { ...gitIdentity(ctx, by), date: ctx.now() },
  });
  if (!result.ok) throw new HttpError(422, result.reason === 'conflict' ? 'merge conflict between base and head' : result.message);
  await applyRefUpdates(ctx, repo, [{ ref: `refs/heads/${pull.headRef}`, before, after: result.sha }], by);
}
