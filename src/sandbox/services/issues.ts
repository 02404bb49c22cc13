/** Issues and issue comments: create/update with the webhooks GitHub sends. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import { notFound, validationFailed } from '../http/http-error.ts';
import type { CommentState, IssueState, RepoState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { issue as issueObject, issueComment, label as labelObject } from '../objects/issue.ts';
import { pullRequest } from '../objects/pull-request.ts';
import { emitWebhook } from '../webhooks/emit.ts';
import { refreshMergeability } from './mergeability.ts';
import { repoKey } from './repo-key.ts';

export function findIssue(ctx: SandboxContext, repo: RepoState, number: number): IssueState {
  const key = repoKey(repo);
  const i = ctx.state.issues.find((x) => x.repo === key && x.number === number);
  if (!i) throw notFound();
  return i;
}

export function ensureLabels(ctx: SandboxContext, repo: RepoState, names: string[]): void {
  for (const name of names) {
    if (repo.labels.some((l) => l.name === name)) continue;
    repo.labels.push({ id: nextId(ctx), name, color: 'ededed', description: null });
  }
}

/** Adds labels to an issue or PR; each label it did not have yet sends `issues.labeled` (or `pull_request.labeled`), as GitHub does. */
export function addIssueLabels(ctx: SandboxContext, repo: RepoState, issue: IssueState, by: string, names: string[]): void {
  ensureLabels(ctx, repo, names);
  const added = [...new Set(names)].filter((n) => !issue.labels.includes(n));
  issue.labels = [...issue.labels, ...added];
  issue.updatedAt = isoSeconds(ctx.now());
  ctx.save();
  const pull = issue.isPull ? ctx.state.pulls.find((x) => x.repo === issue.repo && x.number === issue.number) : undefined;
  for (const name of added) {
    const l = repo.labels.find((x) => x.name === name);
    if (!l) continue;
    const labelObj = labelObject(ctx, repo, l);
    if (pull) emitWebhook(ctx, { event: 'pull_request', action: 'labeled', repo, sender: by, payload: { number: issue.number, pull_request: pullRequest(ctx, pull), label: labelObj } });
    else emitWebhook(ctx, { event: 'issues', action: 'labeled', repo, sender: by, payload: { issue: issueObject(ctx, issue), label: labelObj } });
  }
}

export function createIssue(
  ctx: SandboxContext,
  repo: RepoState,
  author: string,
  viaApp: boolean,
  p: { title: string; body?: string | null; labels?: string[]; assignees?: string[] },
): IssueState {
  if (typeof p.title !== 'string' || p.title.trim() === '') throw validationFailed([{ resource: 'Issue', field: 'title', code: 'missing_field' }]);
  const labels = [...new Set(p.labels ?? [])];
  ensureLabels(ctx, repo, labels);
  const at = isoSeconds(ctx.now());
  const issue: IssueState = {
    id: nextId(ctx),
    repo: repoKey(repo),
    number: repo.nextNumber++,
    title: p.title,
    body: p.body ?? null,
    user: author,
    viaApp,
    state: 'open',
    stateReason: null,
    labels,
    assignees: (p.assignees ?? []).filter((a) => ctx.state.accounts[a]),
    locked: false,
    isPull: false,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    closedBy: null,
  };
  ctx.state.issues.push(issue);
  ctx.save();
  emitWebhook(ctx, { event: 'issues', action: 'opened', repo, sender: author, payload: { issue: issueObject(ctx, issue) } });
  return issue;
}

/** Updates title/body/state/labels; emits issues.closed/reopened (or pull_request.closed/reopened for PRs). */
export function updateIssue(
  ctx: SandboxContext,
  repo: RepoState,
  issue: IssueState,
  by: string,
  p: { title?: string; body?: string | null; state?: 'open' | 'closed'; stateReason?: 'completed' | 'not_planned' | 'reopened' | null; labels?: string[] },
): void {
  const at = isoSeconds(ctx.now());
  if (p.title !== undefined) issue.title = p.title;
  if (p.body !== undefined) issue.body = p.body;
  if (p.labels !== undefined) {
    ensureLabels(ctx, repo, p.labels);
    issue.labels = [...new Set(p.labels)];
  }
  let action: 'closed' | 'reopened' | null = null;
  if (p.state !== undefined && p.state !== issue.state) {
    const pull = issue.isPull ? ctx.state.pulls.find((x) => x.repo === issue.repo && x.number === issue.number) : undefined;
    if (p.state === 'open' && pull?.merged) throw validationFailed([{ resource: 'PullRequest', code: 'custom', field: 'state', message: 'state cannot be changed. The pull request has been merged.' }]);
    issue.state = p.state;
    issue.closedAt = p.state === 'closed' ? at : null;
    issue.closedBy = p.state === 'closed' ? by : null;
    issue.stateReason = p.state === 'closed' ? (issue.isPull ? null : (p.stateReason ?? 'completed')) : issue.isPull ? null : 'reopened';
    action = p.state === 'closed' ? 'closed' : 'reopened';
    if (pull && action === 'reopened') refreshMergeability(ctx, pull);
  }
  issue.updatedAt = at;
  ctx.save();
  if (!action) return;
  if (issue.isPull) {
    const pull = ctx.state.pulls.find((x) => x.repo === issue.repo && x.number === issue.number);
    if (pull) emitWebhook(ctx, { event: 'pull_request', action, repo, sender: by, payload: { number: issue.number, pull_request: pullRequest(ctx, pull) } });
  } else {
    emitWebhook(ctx, { event: 'issues', action, repo, sender: by, payload: { issue: issueObject(ctx, issue) } });
  }
}

export function createComment(ctx: SandboxContext, repo: RepoState, issue: IssueState, author: string, viaApp: boolean, body: string): CommentState {
  if (typeof body !== 'string' || body === '') throw validationFailed([{ resource: 'IssueComment', field: 'body', code: 'missing_field' }]);
  const at = isoSeconds(ctx.now());
  const c: CommentState = {
    id: nextId(ctx),
    repo: repoKey(repo),
    issueNumber: issue.number,
    user: author,
    viaApp,
    body,
    createdAt: at,
    updatedAt: at,
    reactions: [],
  };
  ctx.state.comments.push(c);
  issue.updatedAt = at;
  ctx.save();
  emitWebhook(ctx, {
    event: 'issue_comment',
    action: 'created',
    repo,
    sender: author,
    payload: { issue: issueObject(ctx, issue), comment: issueComment(ctx, c) },
  });
  return c;
}
