/** Commits: get one (with files), list, compare, and the PRs associated with a commit. */
import type { SandboxContext } from '../context.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import { pageParams } from '../http/paginate.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { commitObject } from '../objects/commit.ts';
import { pullRequestSimple } from '../objects/pull-request.ts';
import { repoHtml, repoApi } from '../objects/urls.ts';
import { repoKey } from '../services/repo-key.ts';
import { listResult, repoFor } from './helpers.ts';

async function getCommit(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const git = ctx.git(repoKey(repo));
  const sha = await git.resolve(req.params.ref);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${req.params.ref}`);
  const c = await git.getCommit(sha);
  if (!c) throw notFound();
  return ok(commitObject(ctx, repo, c, await git.changedFiles(sha)));
}

async function listCommits(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const git = ctx.git(repoKey(repo));
  const rev = req.query.get('sha') ?? repo.defaultBranch;
  const sha = await git.resolve(rev);
  if (!sha) {
    if (!(await git.resolve(`refs/heads/${repo.defaultBranch}`))) throw new HttpError(409, 'Git Repository is empty.');
    throw notFound();
  }
  const { perPage, page } = pageParams(req.query);
  const shas = await git.log(sha, page * perPage + 1);
  const pageShas = shas.slice((page - 1) * perPage, page * perPage);
  const items = [];
  for (const s of pageShas) {
    const c = await git.getCommit(s);
    if (c) items.push(commitObject(ctx, repo, c));
  }
  const headers: Record<string, string> = {};
  if (shas.length > page * perPage) {
    const next = new URL(req.url.toString());
    next.searchParams.set('per_page', String(perPage));
    next.searchParams.set('page', String(page + 1));
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return ok(items, 200, headers);
}

async function pullsForCommit(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['pull_requests', 'read'] });
  const key = repoKey(repo);
  const git = ctx.git(key);
  if (!(await git.resolve(`refs/heads/${repo.defaultBranch}`))) throw new HttpError(409, 'Git Repository is empty.');
  const sha = await git.resolve(req.params.commit_sha);
  if (!sha) throw new HttpError(422, `No commit found for SHA: ${req.params.commit_sha}`);
  const found = [];
  for (const pull of ctx.state.pulls.filter((p) => p.repo === key)) {
    if (pull.merged && (pull.mergeCommitSha === sha || (pull.landedShas ?? []).includes(sha))) found.push(pull);
    else if (!pull.merged && (pull.headSha === sha || ((await git.isAncestor(sha, pull.headSha)) && !(await git.isAncestor(sha, pull.baseSha))))) found.push(pull);
  }
  found.sort((a, b) => b.number - a.number);
  return listResult(req, found, (p) => pullRequestSimple(ctx, p));
}

async function compare(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const git = ctx.git(repoKey(repo));
  const m = /^(.+?)\.\.\.?(.+)$/.exec(req.params.basehead);
  if (!m) throw notFound();
  const [baseSha, headSha] = [await git.resolve(m[1]), await git.resolve(m[2])];
  if (!baseSha || !headSha) throw notFound();
  const cmp = await git.compare(baseSha, headSha);
  const base = await git.getCommit(baseSha);
  const mb = cmp.mergeBase ? await git.getCommit(cmp.mergeBase) : base;
  if (!base || !mb) throw notFound();
  const commits = [];
  for (const s of cmp.commits.slice(0, 250)) {
    const c = await git.getCommit(s);
    if (c) commits.push(commitObject(ctx, repo, c));
  }
  const files = cmp.mergeBase ? await git.changedFiles(headSha, cmp.mergeBase) : [];
  const status = cmp.aheadBy === 0 && cmp.behindBy === 0 ? 'identical' : cmp.behindBy === 0 ? 'ahead' : cmp.aheadBy === 0 ? 'behind' : 'diverged';
  const html = repoHtml(ctx, repo.owner, repo.name, `/compare/${req.params.basehead}`);
  const withFiles = commitObject(ctx, repo, mb, files);
  return ok({
    url: repoApi(ctx, repo.owner, repo.name, `/compare/${req.params.basehead}`),
    html_url: html,
    permalink_url: repoHtml(ctx, repo.owner, repo.name, `/compare/${repo.owner}:${baseSha.slice(0, 7)}...${repo.owner}:${headSha.slice(0, 7)}`),
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: commitObject(ctx, repo, base),
    merge_base_commit: commitObject(ctx, repo, mb),
    status,
    ahead_by: cmp.aheadBy,
    behind_by: cmp.behindBy,
    total_commits: cmp.commits.length,
    commits,
    files: withFiles.files,
  });
}

export const commitRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/commits', handler: listCommits },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/*commit_sha/pulls', handler: pullsForCommit },
  { method: 'GET', pattern: '/repos/:owner/:repo/commits/*ref', handler: getCommit },
  { method: 'GET', pattern: '/repos/:owner/:repo/compare/*basehead', handler: compare },
];
