/** Repository endpoints: GET repo, the installation's repositories, contents (JSON and raw). */
import type { SandboxContext } from '../context.ts';
import { installationSees, userRole } from '../auth/access.ts';
import { HttpError, notFound, requiresAuth } from '../http/http-error.ts';
import type { Actor, RestRequest, RouteDef } from '../http/rest-types.ts';
import { ok } from '../http/rest-types.ts';
import { repository, type RepoPermissions } from '../objects/repository.ts';
import { repoApi, repoHtml, enc } from '../objects/urls.ts';
import type { RepoState } from '../state/model.ts';
import { repoKey } from '../services/repo-key.ts';
import { envelopeResult, repoFor } from './helpers.ts';

function permissionsFor(ctx: SandboxContext, actor: Actor, repo: RepoState): RepoPermissions | undefined {
  if (actor.kind === 'user') {
    const role = userRole(ctx, actor.login, repo);
    const rank = role ? ['read', 'triage', 'write', 'maintain', 'admin'].indexOf(role) : -1;
    return { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: rank >= 0 || !repo.private };
  }
  if (actor.kind === 'installation') {
    const perms = actor.token.permissions ?? actor.installation.permissions;
    const write = perms.contents === 'write';
    return { admin: perms.administration === 'write', maintain: false, push: write, triage: write, pull: true };
  }
  return undefined;
}

const RAW_TYPES = ['application/vnd.github.raw', 'application/vnd.github.v3.raw', 'application/vnd.github.raw+json', 'application/vnd.github.v3.raw+json'];

function wantsRaw(req: RestRequest): boolean {
  const accept = String(req.headers.accept ?? '').toLowerCase();
  return RAW_TYPES.some((t) => accept.split(',').some((part) => part.trim().startsWith(t)));
}

function wrap60(b64: string): string {
  return (b64.match(/.{1,60}/g) ?? ['']).join('\n') + '\n';
}

async function contents(ctx: SandboxContext, req: RestRequest) {
  const repo = repoFor(ctx, req, { app: ['contents', 'read'] });
  const path = (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const refName = req.query.get('ref') ?? repo.defaultBranch;
  const git = ctx.git(repoKey(repo));
  const sha = await git.resolve(refName.startsWith('refs/') ? refName : refName);
  if (!sha) throw new HttpError(404, `No commit found for the ref ${refName}`);
  const links = (p: string, kind: 'blob' | 'tree', objSha: string) => {
    const self = repoApi(ctx, repo.owner, repo.name, `/contents/${p.split('/').map(enc).join('/')}?ref=${enc(refName)}`);
    const git_url = repoApi(ctx, repo.owner, repo.name, `/git/${kind === 'blob' ? 'blobs' : 'trees'}/${objSha}`);
    const html = repoHtml(ctx, repo.owner, repo.name, `/${kind}/${enc(refName)}/${p.split('/').map(enc).join('/')}`);
    return { url: self, git_url, html_url: html, _links: { self, git: git_url, html } };
  };
  const file = path === '' ? null : await git.readFile(sha, path);
  if (file) {
    if (wantsRaw(req)) return { status: 200, raw: { contentType: 'application/vnd.github.raw; charset=utf-8', data: file.content } };
    const l = links(path, 'blob', file.blobSha);
    return ok({
      type: 'file',
      encoding: 'base64',
      size: file.size,
      name: path.split('/').pop(),
      path,
      content: wrap60(file.content.toString('base64')),
      sha: file.blobSha,
      url: l.url,
      git_url: l.git_url,
      html_url: l.html_url,
      download_url: `${repoHtml(ctx, repo.owner, repo.name, `/raw/${enc(refName)}/${path.split('/').map(enc).join('/')}`)}`,
      _links: l._links,
    });
  }
  const dir = await git.listDir(sha, path);
  if (!dir) throw notFound();
  return ok(
    dir.map((e) => {
      const l = links(e.path, e.type === 'dir' ? 'tree' : 'blob', e.sha);
      return {
        type: e.type,
        size: e.type === 'dir' ? 0 : e.size,
        name: e.name,
        path: e.path,
        sha: e.sha,
        url: l.url,
        git_url: l.git_url,
        html_url: l.html_url,
        download_url: e.type === 'dir' ? null : repoHtml(ctx, repo.owner, repo.name, `/raw/${enc(refName)}/${e.path.split('/').map(enc).join('/')}`),
        _links: l._links,
      };
    }),
  );
}

function installationRepos(ctx: SandboxContext, req: RestRequest) {
  const actor = req.actor;
  if (actor.kind !== 'installation') throw actor.kind === 'anonymous' ? requiresAuth() : new HttpError(403, 'You must authenticate with an installation access token in order to list repositories for an installation.');
  const repos = Object.values(ctx.state.repos)
    .filter((r) => installationSees(actor.installation, r, actor.token))
    .sort((a, b) => a.id - b.id);
  const res = envelopeResult(req, 'repositories', repos, (r) => repository(ctx, r, { permissions: permissionsFor(ctx, actor, r) }));
  (res.body as Record<string, unknown>).repository_selection = actor.installation.repositorySelection;
  return res;
}

export const repoRoutes: RouteDef[] = [
  {
    method: 'GET',
    pattern: '/repos/:owner/:repo',
    handler: (ctx, req) => {
      const repo = repoFor(ctx, req, { app: ['metadata', 'read'] });
      return ok(repository(ctx, repo, { full: true, permissions: permissionsFor(ctx, req.actor, repo) }));
    },
  },
  { method: 'GET', pattern: '/installation/repositories', handler: installationRepos },
  { method: 'GET', pattern: '/repos/:owner/:repo/contents/*path', handler: contents },
];
