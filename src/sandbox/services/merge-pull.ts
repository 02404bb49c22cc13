/** Merges a PR exactly like `PUT /pulls/{n}/merge`: GitHub's 405/409/422 rules, CAS on the base, webhooks. */
import type { SandboxContext } from '../context.ts';
import type { MergeMethod } from '../git/bare-repo.ts';
import { HttpError, validationFailed } from '../http/http-error.ts';
import type { PullState, RepoState } from '../state/model.ts';
import { gitIdentity } from '../objects/commit.ts';
import { issueOfPull } from '../objects/pull-request.ts';
import { applyRefUpdates, recordMerged } from './apply-ref-updates.ts';
import { protectionBlock } from './evaluate-checks.ts';
import { refreshMergeability, settledMergeability } from './mergeability.ts';
import { repoKey } from './repo-key.ts';

export interface MergeInput {
  method?: string;
  sha?: string;
  commitTitle?: string;
  commitMessage?: string;
}

const NOT_ALLOWED: Record<MergeMethod, string> = {
  merge: 'Merge commits are not allowed on this repository.',
  squash: 'Squash merges are not allowed on this repository.',
  rebase: 'Rebase merges are not allowed on this repository.',
};

export async function mergePull(ctx: SandboxContext, repo: RepoState, pull: PullState, by: string, input: MergeInput): Promise<string> {
  const method = (input.method ?? 'merge') as MergeMethod;
  if (!['merge', 'squash', 'rebase'].includes(method)) {
    throw validationFailed([{ resource: 'PullRequest', field: 'merge_method', code: 'invalid' }]);
  }
  const issue = issueOfPull(ctx, pull);
  if (pull.merged || issue.state !== 'open') throw new HttpError(422, 'Pull Request is not open');
  if (input.sha !== undefined && input.sha !== pull.headSha) throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
  const allowed = { merge: repo.allowMergeCommit, squash: repo.allowSquashMerge, rebase: repo.allowRebaseMerge }[method];
  if (!allowed) throw new HttpError(405, NOT_ALLOWED[method]);
  if (pull.mergeable === null) await settledMergeability(ctx, pull);
  if (pull.mergeable !== true) throw new HttpError(405, 'Pull Request is not mergeable');
  if (method === 'rebase' && pull.rebaseable === false) throw new HttpError(405, 'This branch can\'t be rebased');
  if (pull.draft) throw new HttpError(405, 'Pull Request is still a draft');
  const blocked = protectionBlock(ctx, repo, pull);
  if (blocked) throw new HttpError(405, blocked);
  const key = repoKey(repo);
  const title =
    input.commitTitle ??
    (method === 'squash' ? `${issue.title} (#${pull.number})` : `Merge pull request #${pull.number} from ${repo.owner}/${pull.headRef}`);
  let message = input.commitMessage;
  if (message === undefined) {
    if (method === 'squash') {
      const cmp = await ctx.git(key).compare(pull.baseSha, pull.headSha);
      const lines: string[] = [];
      for (const sha of cmp.commits) {
        const c = await ctx.git(key).getCommit(sha);
        if (c) lines.push(`* ${c.message.split('\n')[0]}`);
      }
      message = lines.join('\n\n');
    } else {
      message = issue.title;
    }
  }
  const expectedBaseSha = pull.baseSha;
  const result = await ctx.git(key).merge({
    method,
    baseRef: `refs/heads/${pull.baseRef}`,
    expectedBaseSha,
    headSha: pull.headSha,
    title,
    message,
    committer: { name: 'GitHub', email: 'noreply@github.com', date: ctx.now() },
    author: { ...gitIdentity(ctx, method === 'squash' ? issue.user : by), date: ctx.now() },
  });
  if (!result.ok) {
    if (result.reason === 'base_modified') {
      refreshMergeability(ctx, pull);
      throw new HttpError(405, 'Base branch was modified. Review and try the merge again.');
    }
    if (result.reason === 'not_rebaseable') throw new HttpError(405, 'This branch can\'t be rebased');
    throw new HttpError(405, 'Pull Request is not mergeable');
  }
  pull.landedShas = (await ctx.git(key).compare(expectedBaseSha, result.sha)).commits;
  pull.mergeable = null;
  recordMerged(ctx, repo, pull, result.sha, by);
  await applyRefUpdates(ctx, repo, [{ ref: `refs/heads/${pull.baseRef}`, before: expectedBaseSha, after: result.sha }], by);
  return result.sha;
}
