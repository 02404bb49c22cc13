/** Issues, issue comments, labels and reactions. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import { actorLogin, levelAtLeast, roleAtLeast, userRole } from '../auth/access.ts';
import { HttpError, notAccessible, notFound, validationFailed } from '../http/http-error.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { issue as issueObject, issueComment, labelsOf, reaction } from '../objects/issue.ts';
import { isoSeconds } from '../state/initial-state.ts';
import type { CommentState, RepoState } from '../state/model.ts';
import { addIssueLabels, createComment, createIssue, findIssue, updateIssue } from '../services/issues.ts';
import { repoKey } from '../services/repo-key.ts';
import { bodyOf, intParam, listResult, optString, optStringArray, repoFor, reqString } from './helpers.ts';

function listIssues(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'read'] });
  const key = repoKey(repo);
  const state = req.query.get('state') ?? 'open';
  const labels = (req.query.get('labels') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const creator = req.query.get('creator');
  const direction = req.query.get('direction') ?? 'desc';
  let all = ctx.state.issues.filter((i) => i.repo === key);
  if (state !== 'all') all = all.filter((i) => i.state === state);
  if (labels.length > 0) all = all.filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l.toLowerCase())));
  if (creator) all = all.filter((i) => i.user.toLowerCase() === creator.toLowerCase());
  all = [...all].sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  return listResult(req, all, (i) => issueObject(ctx, i));
}

function postIssue(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'read' });
  const body = bodyOf(req);
  const issue = createIssue(ctx, repo, actorLogin(ctx, req.actor), req.actor.kind === 'installation', {
    title: reqString(body, 'title', 'Issue'),
    body: optString(body, 'body', 'Issue') ?? null,
    labels: optStringArray(body, 'labels', 'Issue'),
    assignees: optStringArray(body, 'assignees', 'Issue'),
  });
  return ok(issueObject(ctx, issue), 201);
}

function patchIssue(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'triage' });
  const issue = findIssue(ctx, repo, intParam(req, 'issue_number'));
  const body = bodyOf(req);
  const state = optString(body, 'state', 'Issue');
  if (state !== undefined && state !== 'open' && state !== 'closed') throw validationFailed([{ resource: 'Issue', field: 'state', code: 'invalid' }]);
  const reason = optString(body, 'state_reason', 'Issue');
  updateIssue(ctx, repo, issue, actorLogin(ctx, req.actor), {
    title: optString(body, 'title', 'Issue'),
    body: body.body === null ? null : optString(body, 'body', 'Issue'),
    state: state as 'open' | 'closed' | undefined,
    stateReason: reason as 'completed' | 'not_planned' | undefined,
    labels: optStringArray(body, 'labels', 'Issue'),
  });
  return ok(issueObject(ctx, issue));
}

function findComment(ctx: SandboxContext, repo: RepoState, id: number): CommentState {
  const key = repoKey(repo);
  const c = ctx.state.comments.find((x) => x.repo === key && x.id === id);
  if (!c) throw notFound();
  return c;
}

function listComments(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'read'] });
  const issue = findIssue(ctx, repo, intParam(req, 'issue_number'));
  const since = req.query.get('since');
  let all = ctx.state.comments.filter((c) => c.repo === issue.repo && c.issueNumber === issue.number);
  if (since) all = all.filter((c) => c.updatedAt >= since);
  return listResult(req, all, (c) => issueComment(ctx, c));
}

function postComment(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { role: 'read' });
  const issue = findIssue(ctx, repo, intParam(req, 'issue_number'));
  if (req.actor.kind === 'installation') {
    const perms = req.actor.token.permissions ?? req.actor.installation.permissions;
    const allowed = levelAtLeast(perms.issues, 'write') || (issue.isPull && levelAtLeast(perms.pull_requests, 'write'));
    if (!allowed) throw notAccessible();
  }
  const c = createComment(ctx, repo, issue, actorLogin(ctx, req.actor), req.actor.kind === 'installation', reqString(bodyOf(req), 'body', 'IssueComment'));
  return ok(issueComment(ctx, c), 201);
}

function patchComment(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'read' });
  const c = findComment(ctx, repo, intParam(req, 'comment_id'));
  const login = actorLogin(ctx, req.actor);
  if (c.user !== login && !roleAtLeast(req.actor.kind === 'user' ? userRole(ctx, login, repo) : null, 'write')) throw notFound();
  c.body = reqString(bodyOf(req), 'body', 'IssueComment');
  c.updatedAt = isoSeconds(ctx.now());
  ctx.save();
  return ok(issueComment(ctx, c));
}

function postReaction(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'read' });
  const c = findComment(ctx, repo, intParam(req, 'comment_id'));
  const content = reqString(bodyOf(req), 'content', 'Reaction');
  if (!['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'].includes(content)) {
    throw validationFailed([{ resource: 'Reaction', field: 'content', code: 'invalid' }]);
  }
  const login = actorLogin(ctx, req.actor);
  const existing = c.reactions.find((r) => r.user === login && r.content === content);
  if (existing) return ok(reaction(ctx, existing), 200);
  const r = { id: nextId(ctx), user: login, content, createdAt: isoSeconds(ctx.now()) };
  c.reactions.push(r);
  ctx.save();
  return ok(reaction(ctx, r), 201);
}

function addLabels(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'triage' });
  const issue = findIssue(ctx, repo, intParam(req, 'issue_number'));
  const body = req.body;
  const names = Array.isArray(body) ? body : optStringArray(bodyOf(req), 'labels', 'Label');
  if (!names || names.some((n) => typeof n !== 'string')) throw validationFailed([{ resource: 'Label', field: 'labels', code: 'invalid' }]);
  addIssueLabels(ctx, repo, issue, actorLogin(ctx, req.actor), names as string[]);
  return ok(labelsOf(ctx, repo, issue.labels));
}

function removeLabel(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'triage' });
  const issue = findIssue(ctx, repo, intParam(req, 'issue_number'));
  const name = req.params.name;
  if (!issue.labels.includes(name)) throw new HttpError(404, 'Label does not exist');
  issue.labels = issue.labels.filter((l) => l !== name);
  ctx.save();
  return ok(labelsOf(ctx, repo, issue.labels));
}

export const issueRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/issues', handler: listIssues },
  { method: 'POST', pattern: '/repos/:owner/:repo/issues', handler: postIssue },
  { method: 'GET', pattern: '/repos/:owner/:repo/issues/:issue_number', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['issues', 'read'] });
    return ok(issueObject(ctx, findIssue(ctx, repo, intParam(req, 'issue_number'))));
  } },
  { method: 'PATCH', pattern: '/repos/:owner/:repo/issues/:issue_number', handler: patchIssue },
  { method: 'GET', pattern: '/repos/:owner/:repo/issues/:issue_number/comments', handler: listComments },
  { method: 'POST', pattern: '/repos/:owner/:repo/issues/:issue_number/comments', handler: postComment },
  { method: 'GET', pattern: '/repos/:owner/:repo/issues/comments/:comment_id', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['issues', 'read'] });
    return ok(issueComment(ctx, findComment(ctx, repo, intParam(req, 'comment_id'))));
  } },
  { method: 'PATCH', pattern: '/repos/:owner/:repo/issues/comments/:comment_id', handler: patchComment },
  { method: 'DELETE', pattern: '/repos/:owner/:repo/issues/comments/:comment_id', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['issues', 'write'], role: 'read' });
    const c = findComment(ctx, repo, intParam(req, 'comment_id'));
    const login = actorLogin(ctx, req.actor);
    if (c.user !== login && !roleAtLeast(req.actor.kind === 'user' ? userRole(ctx, login, repo) : null, 'triage')) throw new HttpError(403, 'Must have triage access to delete comments of others.');
    ctx.state.comments = ctx.state.comments.filter((x) => x !== c);
    ctx.save();
    return { status: 204 };
  } },
  { method: 'POST', pattern: '/repos/:owner/:repo/issues/comments/:comment_id/reactions', handler: postReaction },
  { method: 'GET', pattern: '/repos/:owner/:repo/issues/comments/:comment_id/reactions', handler: (ctx, req) => {
    const repo = repoFor(ctx, req, { app: ['issues', 'read'] });
    return listResult(req, findComment(ctx, repo, intParam(req, 'comment_id')).reactions, (r) => reaction(ctx, r));
  } },
  { method: 'POST', pattern: '/repos/:owner/:repo/issues/:issue_number/labels', handler: addLabels },
  { method: 'DELETE', pattern: '/repos/:owner/:repo/issues/:issue_number/labels/:name', handler: removeLabel },
];

