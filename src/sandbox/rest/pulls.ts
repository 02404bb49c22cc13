/** Pull request endpoints: list/create/get/update, merge, update-branch, files, reviews, requested reviewers. */
import type { SandboxContext } from '../context.ts';
import { actorLogin } from '../auth/access.ts';
import { HttpError, notFound, validationFailed } from '../http/http-error.ts';
import { noContent, ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { commitObject, diffEntry } from '../objects/commit.ts';
import { issueOfPull, pullRequest, pullRequestSimple } from '../objects/pull-request.ts';
import { review as reviewObject } from '../objects/review.ts';
import type { PullState, RepoState } from '../state/model.ts';
import { mergePull } from '../services/merge-pull.ts';
import { openPull } from '../services/open-pull.ts';
import { updateIssue } from '../services/issues.ts';
import { repoKey } from '../services/repo-key.ts';
import { submitReview } from '../services/reviews.ts';
import { updateBranch } from '../services/update-branch.ts';
import { bodyOf, intParam, listResult, optBool, optString, optStringArray, repoFor, reqString } from './helpers.ts';

export function findPull(ctx: SandboxContext, repo: RepoState, number: number): PullState {
  const key = repoKey(repo);
  const p = ctx.state.pulls.find((x) => x.repo === key && x.number === number);
  if (!p) throw notFound();
  return p;
}

function listPulls(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const key = repoKey(repo);
  const state = req.query.get('state') ?? 'open';
  const head = req.query.get('head');
  const base = req.query.get('base');
  const direction = req.query.get('direction') ?? 'desc';
  let all = ctx.state.pulls.filter((p) => p.repo === key);
  if (state !== 'all') all = all.filter((p) => issueOfPull(ctx, p).state === state);
  if (head) {
    const i = head.indexOf(':');
    const owner = i >= 0 ? head.slice(0, i) : repo.owner;
    const ref = i >= 0 ? head.slice(i + 1) : head;
    all = owner.toLowerCase() === repo.owner.toLowerCase() ? all.filter((p) => p.headRef === ref) : [];
  }
  if (base) all = all.filter((p) => p.baseRef === base);
  all = [...all].sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  return listResult(req, all, (p) => pullRequestSimple(ctx, p));
}

async function createPull(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'write'], role: 'read' });
  const body = bodyOf(req);
  const head = reqString(body, 'head', 'PullRequest');
  const base = reqString(body, 'base', 'PullRequest');
  const title = optString(body, 'title', 'PullRequest');
  if (title === undefined) throw validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
  const pull = await openPull(ctx, repo, actorLogin(ctx, req.actor), req.actor.kind === 'installation', {
    head,
    base,
    title,
    body: optString(body, 'body', 'PullRequest') ?? null,
    draft: optBool(body, 'draft', 'PullRequest'),
    maintainerCanModify: optBool(body, 'maintainer_can_modify', 'PullRequest'),
  });
  return ok(pullRequest(ctx, pull), 201, { location: `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}` });
}

function getPull(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  let mergeable = pull.mergeable;
  if (pull.nullReadsLeft > 0) {
    pull.nullReadsLeft -= 1;
    mergeable = null;
    ctx.save();
  }
  return ok(pullRequest(ctx, pull, mergeable));
}

function updatePull(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'write'], role: 'triage' });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const body = bodyOf(req);
  const state = optString(body, 'state', 'PullRequest');
  if (state !== undefined && state !== 'open' && state !== 'closed') throw validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
  const base = optString(body, 'base', 'PullRequest');
  if (base !== undefined) pull.baseRef = base;
  updateIssue(ctx, repo, issueOfPull(ctx, pull), actorLogin(ctx, req.actor), {
    title: optString(body, 'title', 'PullRequest'),
    body: optString(body, 'body', 'PullRequest'),
    state: state as 'open' | 'closed' | undefined,
  });
  return ok(pullRequest(ctx, pull));
}

async function merge(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const body = bodyOf(req);
  const sha = await mergePull(ctx, repo, pull, actorLogin(ctx, req.actor), {
    method: optString(body, 'merge_method', 'PullRequest'),
    sha: optString(body, 'sha', 'PullRequest'),
    commitTitle: optString(body, 'commit_title', 'PullRequest'),
    commitMessage: optString(body, 'commit_message', 'PullRequest'),
  });
  return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
}

function checkMerged(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  if (!pull.merged) throw notFound();
  return noContent();
}

async function updateBranchRoute(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'write'], role: 'write' });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const expected = optString(bodyOf(req), 'expected_head_sha', 'PullRequest');
  if (expected !== undefined && expected !== pull.headSha) throw new HttpError(422, 'expected_head_sha does not match the pull request head sha');
  await updateBranch(ctx, repo, pull, actorLogin(ctx, req.actor));
  return ok({ message: 'Updating pull request branch.', url: `${ctx.baseUrl}/repos/${repo.owner}/${repo.name}/pulls/${pull.number}` }, 202);
}

async function files(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const git = ctx.git(repoKey(repo));
  const cmp = await git.compare(pull.baseSha, pull.headSha);
  const list = await git.changedFiles(pull.headSha, cmp.mergeBase ?? pull.baseSha);
  return listResult(req, list, (f) => diffEntry(ctx, repo, pull.headSha, f));
}

async function commits(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const git = ctx.git(repoKey(repo));
  const shas = (await git.compare(pull.baseSha, pull.headSha)).commits.slice(0, 250);
  const page = listResult(req, shas, (s) => s);
  const items = [];
  for (const sha of page.body as string[]) {
    const c = await git.getCommit(sha);
    if (c) items.push(commitObject(ctx, repo, c));
  }
  return { ...page, body: items };
}

function listReviews(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const all = ctx.state.reviews.filter((r) => r.repo === pull.repo && r.pullNumber === pull.number);
  return listResult(req, all, (r) => reviewObject(ctx, r));
}

function createReview(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'write'], role: 'read' });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const body = bodyOf(req);
  const event = optString(body, 'event', 'PullRequestReview') ?? 'COMMENT';
  if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event)) throw new HttpError(422, `Unprocessable Entity: "event" must be one of APPROVE, REQUEST_CHANGES, COMMENT`);
  const r = submitReview(ctx, repo, pull, actorLogin(ctx, req.actor), event as 'APPROVE', optString(body, 'body', 'PullRequestReview') ?? '');
  return ok(reviewObject(ctx, r));
}

function requestReviewers(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'write'], role: 'triage' });
  const pull = findPull(ctx, repo, intParam(req, 'pull_number'));
  const body = bodyOf(req);
  const users = optStringArray(body, 'reviewers', 'PullRequest') ?? [];
  const teams = optStringArray(body, 'team_reviewers', 'PullRequest') ?? [];
  for (const u of users) {
    if (!ctx.state.accounts[u]) throw new HttpError(422, 'Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.');
  }
  for (const t of teams) {
    if (!ctx.state.teams.some((x) => x.org === repo.owner && x.slug === t)) throw new HttpError(422, 'Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the repository.');
  }
  pull.requestedReviewers = [...new Set([...pull.requestedReviewers, ...users])];
  pull.requestedTeams = [...new Set([...pull.requestedTeams, ...teams])];
  ctx.save();
  return ok(pullRequestSimple(ctx, pull), 201);
}

export const pullRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls', handler: listPulls },
  { method: 'POST', pattern: '/repos/:owner/:repo/pulls', handler: createPull },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:pull_number', handler: getPull },
  { method: 'PATCH', pattern: '/repos/:owner/:repo/pulls/:pull_number', handler: updatePull },
  { method: 'PUT', pattern: '/repos/:owner/:repo/pulls/:pull_number/merge', handler: merge },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:pull_number/merge', handler: checkMerged },
  { method: 'PUT', pattern: '/repos/:owner/:repo/pulls/:pull_number/update-branch', handler: updateBranchRoute },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:pull_number/files', handler: files },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:pull_number/commits', handler: commits },
  { method: 'GET', pattern: '/repos/:owner/:repo/pulls/:pull_number/reviews', handler: listReviews },
  { method: 'POST', pattern: '/repos/:owner/:repo/pulls/:pull_number/reviews', handler: createReview },
  { method: 'POST', pattern: '/repos/:owner/:repo/pulls/:pull_number/requested_reviewers', handler: requestReviewers },
];
