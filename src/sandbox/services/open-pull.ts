/** Opens a pull request with GitHub's 422 rules; emits pull_request.opened and starts mergeability. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import { validationFailed } from '../http/http-error.ts';
import type { IssueState, PullState, RepoState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { isOpenPull, pullRequest } from '../objects/pull-request.ts';
import { emitWebhook } from '../webhooks/emit.ts';
import { refreshMergeability } from './mergeability.ts';
import { repoKey } from './repo-key.ts';

export interface OpenPullInput {
  head: string;
  base: string;
  title: string;
  body?: string | null;
  draft?: boolean;
  maintainerCanModify?: boolean;
}

export function parseHead(repo: RepoState, head: string): string {
  const i = head.indexOf(':');
  if (i < 0) return head;
  const owner = head.slice(0, i);
  if (owner.toLowerCase() !== repo.owner.toLowerCase()) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  return head.slice(i + 1);
}

export async function openPull(ctx: SandboxContext, repo: RepoState, author: string, viaApp: boolean, input: OpenPullInput): Promise<PullState> {
  const key = repoKey(repo);
  const git = ctx.git(key);
  const headRef = parseHead(repo, input.head);
  const baseSha = await git.resolve(`refs/heads/${input.base}`);
  const headSha = await git.resolve(`refs/heads/${headRef}`);
  if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  if (!headSha) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  const dup = ctx.state.pulls.find((p) => p.repo === key && p.headRef === headRef && p.baseRef === input.base && isOpenPull(ctx, p));
  if (dup) {
    throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${headRef}.` }]);
  }
  if ((await git.compare(baseSha, headSha)).aheadBy === 0) {
    throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${input.base} and ${headRef}` }]);
  }
  if (input.title.trim() === '') throw validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
  const at = isoSeconds(ctx.now());
  const number = repo.nextNumber++;
  const issue: IssueState = {
    id: nextId(ctx),
    repo: key,
    number,
    title: input.title,
    body: input.body ?? null,
    user: author,
    viaApp,
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    locked: false,
    isPull: true,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    closedBy: null,
  };
  const pull: PullState = {
    id: nextId(ctx),
    repo: key,
    number,
    headRef,
    headSha,
    baseRef: input.base,
    baseSha,
    draft: input.draft ?? false,
    maintainerCanModify: input.maintainerCanModify ?? false,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    mergeable: null,
    rebaseable: null,
    behind: false,
    nullReadsLeft: 0,
    requestedReviewers: [],
    requestedTeams: [],
    commits: 0,
    additions: 0,
    deletions: 0,
    changedFiles: 0,
  };
  ctx.state.issues.push(issue);
  ctx.state.pulls.push(pull);
  await git.updateRef(`refs/pull/${number}/head`, headSha);
  const cmp = await git.compare(baseSha, headSha);
  const files = await git.changedFiles(headSha, cmp.mergeBase ?? baseSha);
  pull.commits = cmp.commits.length;
  pull.additions = files.reduce((n, f) => n + f.additions, 0);
  pull.deletions = files.reduce((n, f) => n + f.deletions, 0);
  pull.changedFiles = files.length;
  refreshMergeability(ctx, pull);
  ctx.save();
  emitWebhook(ctx, { event: 'pull_request', action: 'opened', repo, sender: author, payload: { number, pull_request: pullRequest(ctx, pull) } });
  return pull;
}
