/** `pull-request` (full) and `pull-request-simple` objects, plus `pull-request-minimal` for checks. */
import type { SandboxContext } from '../context.ts';
import type { IssueState, PullState } from '../state/model.ts';
import { mergeableState } from '../services/evaluate-checks.ts';
import { authorAssociation, labelsOf, repoOf } from './issue.ts';
import { repository } from './repository.ts';
import { userByLogin } from './simple-user.ts';
import { nodeId, repoApi, repoHtml } from './urls.ts';

export function issueOfPull(ctx: SandboxContext, pull: PullState): IssueState {
  const i = ctx.state.issues.find((x) => x.repo === pull.repo && x.number === pull.number);
  if (!i) throw new Error(`sandbox: PR ${pull.repo}#${pull.number} has no issue record`);
  return i;
}

/** Not merged and its issue is open (a PR without an issue record counts as not open). */
export function isOpenPull(ctx: SandboxContext, pull: PullState): boolean {
  return !pull.merged && ctx.state.issues.some((i) => i.repo === pull.repo && i.number === pull.number && i.state === 'open');
}

export function pullRequestSimple(ctx: SandboxContext, pull: PullState): Record<string, unknown> {
  const i = issueOfPull(ctx, pull);
  const repo = repoOf(ctx, pull.repo);
  const api = (rest: string): string => repoApi(ctx, repo.owner, repo.name, rest);
  const html = repoHtml(ctx, repo.owner, repo.name, `/pull/${pull.number}`);
  const repoObj = repository(ctx, repo);
  const owner = userByLogin(ctx, repo.owner);
  const side = (ref: string, sha: string): Record<string, unknown> => ({
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: owner,
    repo: repoObj,
  });
  const link = (href: string): { href: string } => ({ href });
  return {
    url: api(`/pulls/${pull.number}`),
    id: pull.id,
    node_id: nodeId('PR_', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: api(`/issues/${pull.number}`),
    commits_url: api(`/pulls/${pull.number}/commits`),
    review_comments_url: api(`/pulls/${pull.number}/comments`),
    review_comment_url: api('/pulls/comments{/number}'),
    comments_url: api(`/issues/${pull.number}/comments`),
    statuses_url: api(`/statuses/${pull.headSha}`),
    number: pull.number,
    state: i.state,
    locked: i.locked,
    title: i.title,
    user: userByLogin(ctx, i.user),
    body: i.body,
    labels: labelsOf(ctx, repo, i.labels),
    milestone: null,
    active_lock_reason: null,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_at: i.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: i.assignees.length > 0 ? userByLogin(ctx, i.assignees[0]) : null,
    assignees: i.assignees.map((a) => userByLogin(ctx, a)),
    requested_reviewers: pull.requestedReviewers.map((r) => userByLogin(ctx, r)),
    requested_teams: [],
    head: side(pull.headRef, pull.headSha),
    base: side(pull.baseRef, pull.baseSha),
    _links: {
      self: link(api(`/pulls/${pull.number}`)),
      html: link(html),
      issue: link(api(`/issues/${pull.number}`)),
      comments: link(api(`/issues/${pull.number}/comments`)),
      review_comments: link(api(`/pulls/${pull.number}/comments`)),
      review_comment: link(api('/pulls/comments{/number}')),
      commits: link(api(`/pulls/${pull.number}/commits`)),
      statuses: link(api(`/statuses/${pull.headSha}`)),
    },
    author_association: authorAssociation(ctx, i.user, repo),
    auto_merge: null,
    draft: pull.draft,
  };
}

/** Full PR; `mergeable` is what this read reports (null while computing or while a fault hides it). */
export function pullRequest(ctx: SandboxContext, pull: PullState, mergeable: boolean | null = pull.mergeable): Record<string, unknown> {
  const repo = repoOf(ctx, pull.repo);
  const open = !pull.merged && issueOfPull(ctx, pull).state === 'open';
  const shown = open ? mergeable : null;
  const comments = ctx.state.comments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number).length;
  return {
    ...pullRequestSimple(ctx, pull),
    merged: pull.merged,
    mergeable: shown,
    rebaseable: shown === null ? null : pull.rebaseable,
    mergeable_state: open ? mergeableState(ctx, repo, pull, shown) : 'unknown',
    merged_by: pull.mergedBy ? userByLogin(ctx, pull.mergedBy) : null,
    comments,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: pull.commits,
    additions: pull.additions,
    deletions: pull.deletions,
    changed_files: pull.changedFiles,
  };
}

export function pullRequestMinimal(ctx: SandboxContext, pull: PullState): Record<string, unknown> {
  const repo = repoOf(ctx, pull.repo);
  const r = { id: repo.id, url: repoApi(ctx, repo.owner, repo.name), name: repo.name };
  return {
    id: pull.id,
    number: pull.number,
    url: repoApi(ctx, repo.owner, repo.name, `/pulls/${pull.number}`),
    head: { ref: pull.headRef, sha: pull.headSha, repo: r },
    base: { ref: pull.baseRef, sha: pull.baseSha, repo: r },
  };
}
