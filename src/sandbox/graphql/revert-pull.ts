/**
 * The `revertPullRequest` mutation (GitHub's "Revert" button): a branch `revert-<number>-<head branch>` off the
 * base branch's tip with the PR's changes reverted (its merge commit against the first parent; for a squash or
 * rebase merge, the commits it landed, newest first), then a pull request from it, opened like a REST one
 * (`push` and `pull_request.opened` webhooks, CI, mergeability). Refused, with nothing created, when the PR is
 * not merged, its commits are no longer on the base branch, or the revert does not apply cleanly.
 */
import type { SandboxContext } from '../context.ts';
import { gitIdentity } from '../objects/commit.ts';
import { issueOfPull } from '../objects/pull-request.ts';
import { HttpError } from '../http/http-error.ts';
import { applyRefUpdates } from '../services/apply-ref-updates.ts';
import { openPull } from '../services/open-pull.ts';
import { ZERO } from '../services/push-payload.ts';
import { repoKey } from '../services/repo-key.ts';
import type { PullState, RepoState } from '../state/model.ts';
import { GitHubGraphqlError } from './errors.ts';
import { revertCommits } from './revert-commits.ts';

export interface RevertPullInput {
  readonly title?: string | null;
  readonly body?: string | null;
  readonly draft?: boolean | null;
}

/** GitHub's flash message when the Revert button cannot do it (the sandbox uses it for every such refusal). */
export const CANNOT_REVERT = "Sorry, this pull request couldn't be reverted automatically. It may already have been reverted, or the content may have changed since it was merged.";

/** How many `-<n>` suffixes to try when `revert-<number>-<head>` is taken. */
const MAX_BRANCH_SUFFIX = 50;

export async function revertPull(ctx: SandboxContext, repo: RepoState, pull: PullState, by: { login: string; viaApp: boolean }, input: RevertPullInput): Promise<PullState> {
  const key = repoKey(repo);
  const git = ctx.git(key);
  const issue = issueOfPull(ctx, pull);
  if (!pull.merged || !pull.mergeCommitSha) throw new GitHubGraphqlError('UNPROCESSABLE', `Pull request #${pull.number} has not been merged, so there is nothing to revert.`);
  const tip = await git.resolve(`refs/heads/${pull.baseRef}`);
  if (!tip) throw new GitHubGraphqlError('UNPROCESSABLE', `The base branch ${pull.baseRef} of pull request #${pull.number} no longer exists.`);
  const commits = await commitsToRevert(ctx, key, pull);
  const now = ctx.now();
  // Whether the commits are still on the base branch, asked while the revert is computed (its objects are
  // unreachable until a branch points at them, so a refusal leaves nothing behind).
  const [onBase, outcome] = await Promise.all([
    Promise.all(commits.map((sha) => git.isAncestor(sha, tip))),
    revertCommits(git.path, {
      tip,
      commits,
      author: { ...gitIdentity(ctx, by.login), date: now },
      committer: { name: 'GitHub', email: 'noreply@github.com', date: now },
      now,
    }).catch((err: unknown) => ({ kind: 'failed' as const, err })),
  ]);
  if (!onBase.every(Boolean)) throw new GitHubGraphqlError('UNPROCESSABLE', CANNOT_REVERT);
  if (outcome.kind === 'failed') throw outcome.err;
  if (outcome.kind !== 'reverted') throw new GitHubGraphqlError('UNPROCESSABLE', CANNOT_REVERT);
  const branch = await createBranch(ctx, key, `revert-${pull.number}-${pull.headRef}`, outcome.sha);
  await applyRefUpdates(ctx, repo, [{ ref: `refs/heads/${branch}`, before: ZERO, after: outcome.sha }], by.login);
  try {
    return await openPull(ctx, repo, by.login, by.viaApp, {
      head: branch,
      base: pull.baseRef,
      title: input.title ?? `Revert "${issue.title}"`,
      body: input.body ?? `Reverts ${repo.owner}/${repo.name}#${pull.number}`,
      draft: input.draft ?? false,
    });
  } catch (err) {
    // The PR could not be opened (e.g. a blank title): GitHub's answer is a refusal, and the branch goes too.
    await git.deleteRef(`refs/heads/${branch}`);
    if (err instanceof HttpError) throw new GitHubGraphqlError('UNPROCESSABLE', `Could not open the revert pull request: ${describeHttpError(err)}`);
    throw err;
  }
}

/** The merge commit (a real merge: reverted against its first parent), or the commits a squash/rebase landed. */
async function commitsToRevert(ctx: SandboxContext, key: string, pull: PullState): Promise<string[]> {
  const merge = await ctx.git(key).getCommit(pull.mergeCommitSha!);
  if (!merge) throw new GitHubGraphqlError('UNPROCESSABLE', CANNOT_REVERT);
  if (merge.parents.length > 1) return [merge.sha];
  const landed = pull.landedShas?.length ? pull.landedShas : [merge.sha];
  return [...landed].reverse();
}

/** Creates the branch (compare-and-swap: it must not exist); a taken name gets `-1`, `-2`, … */
async function createBranch(ctx: SandboxContext, key: string, base: string, sha: string): Promise<string> {
  for (let i = 0; i <= MAX_BRANCH_SUFFIX; i++) {
    const name = i === 0 ? base : `${base}-${i}`;
    if (await ctx.git(key).updateRef(`refs/heads/${name}`, sha, null)) return name;
  }
  throw new GitHubGraphqlError('UNPROCESSABLE', `Could not create a revert branch: ${base} and its first ${MAX_BRANCH_SUFFIX} variants exist.`);
}

function describeHttpError(err: HttpError): string {
  const items = (err.extra.errors ?? []).map((e) => e.message ?? [e.field, e.code].filter(Boolean).join(' '));
  return items.length ? items.join('; ') : err.message;
}
