/** The sandbox's front page, an account (org or user) with its repositories, a repository, a commit, a file. */
import type { SandboxContext } from '../context.ts';
import type { AccountState, RepoState } from '../state/model.ts';
import { keyOf } from '../services/repo-key.ts';
import { h, type Html } from './escape.ts';
import { page } from './layout.ts';
import { canView, commitRow, diffView, repoPath, userLink, when } from './view-helpers.ts';

export interface PageResult {
  status: number;
  html: string;
  contentType?: string;
}

const okPage = (html: string): PageResult => ({ status: 200, html });

function visibleRepos(ctx: SandboxContext, viewer: string | null, owner?: string): RepoState[] {
  return Object.values(ctx.state.repos)
    .filter((r) => (owner === undefined || r.owner.toLowerCase() === owner.toLowerCase()) && canView(ctx, viewer, r))
    .sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
}

function repoList(repos: readonly RepoState[]): Html {
  if (repos.length === 0) return h`<p class="empty">No repositories.</p>`;
  return h`<table class="list">${repos.map((r) => h`<tr><td><a href="${repoPath(r)}">${r.owner}/${r.name}</a>${r.private ? h`<span class="label">Private</span>` : ''}</td><td class="meta">${r.description ?? ''}</td><td class="meta">updated ${when(r.pushedAt)}</td></tr>`)}</table>`;
}

export function homePage(ctx: SandboxContext, viewer: string | null): PageResult {
  const accounts = Object.values(ctx.state.accounts).filter((a) => a.type !== 'Bot').sort((a, b) => a.login.localeCompare(b.login));
  return okPage(page({
    title: 'GitHub sandbox',
    viewer,
    body: h`<h1>GitHub sandbox</h1><p class="meta">A GitHub-compatible sandbox: these pages show what its REST API and git hold. Read-only.</p>
<div class="box"><div class="head">Organizations and users</div><div class="body">${accounts.map((a) => h`${userLink(a.login)} <span class="meta">(${a.type === 'Organization' ? 'organization' : 'user'})</span><br>`)}</div></div>
<div class="box"><div class="head">Repositories</div>${repoList(visibleRepos(ctx, viewer))}</div>`,
  }));
}

/** `/apps/<slug>`: the App behind `<slug>[bot]`, and where it is installed. */
export function appPage(ctx: SandboxContext, viewer: string | null, slug: string): PageResult | null {
  if (slug !== ctx.app.slug) return null;
  const installs = ctx.state.installations.map((i) => i.account).sort();
  return okPage(page({
    title: `${ctx.app.name} · GitHub App · GitHub sandbox`,
    viewer,
    crumbs: [{ text: 'apps' }, { text: ctx.app.slug }],
    body: h`<h1>${ctx.app.name} <span class="meta">GitHub App</span></h1>
<p class="meta">Acts as <strong>${ctx.app.slug}[bot]</strong> · installed on ${installs.length ? installs.map((a, i) => h`${i ? ', ' : ''}<a href="/${encodeURIComponent(a)}">${a}</a>`) : 'no account'}</p>`,
  }));
}

export function accountPage(ctx: SandboxContext, viewer: string | null, account: AccountState): PageResult {
  const members = Object.entries(account.members ?? {});
  return okPage(page({
    title: `${account.login} · GitHub sandbox`,
    viewer,
    crumbs: [{ text: account.login }],
    body: h`<h1>${account.name ?? account.login} <span class="meta">@${account.login}</span></h1>
<p class="meta">${account.type === 'Organization' ? 'Organization' : account.type} · joined ${when(account.createdAt)}</p>
<div class="box"><div class="head">Repositories</div>${repoList(visibleRepos(ctx, viewer, account.login))}</div>
${members.length ? h`<div class="box"><div class="head">Members</div><div class="body">${members.map(([login, role]) => h`${userLink(login)} <span class="meta">${role}</span><br>`)}</div></div>` : ''}`,
  }));
}

export async function repoPage(ctx: SandboxContext, viewer: string | null, repo: RepoState, branch?: string): Promise<PageResult | null> {
  const ref = branch ?? repo.defaultBranch;
  const git = ctx.git(keyOf(repo.owner, repo.name));
  const head = await git.resolve(`refs/heads/${ref}`);
  if (branch !== undefined && head === null) return null;
  const shas = head ? await git.log(head, 10) : [];
  const commits = (await Promise.all(shas.map((s) => git.getCommit(s)))).filter((c) => c !== null);
  const entries = head ? ((await git.listDir(head, '')) ?? []) : [];
  const key = keyOf(repo.owner, repo.name);
  const issues = ctx.state.issues.filter((i) => i.repo === key && i.state === 'open').sort((a, b) => b.number - a.number);
  const branches = [...(await git.listRefs('refs/heads/')).keys()].map((r) => r.replace(/^refs\/heads\//, '')).sort();
  const issueRow = (i: (typeof issues)[number]): Html =>
    h`<tr><td><a href="${repoPath(repo, `/${i.isPull ? 'pull' : 'issues'}/${i.number}`)}">#${i.number} ${i.title}</a>${i.labels.map((l) => h`<span class="label">${l}</span>`)}</td><td class="meta">by ${i.user} · ${when(i.createdAt)}</td></tr>`;
  return okPage(page({
    title: `${repo.owner}/${repo.name} · GitHub sandbox`,
    viewer,
    crumbs: [{ text: repo.owner, href: `/${encodeURIComponent(repo.owner)}` }, { text: repo.name, href: repoPath(repo) }],
    body: h`<p class="meta">${repo.private ? 'Private' : 'Public'} repository${repo.description ? h` · ${repo.description}` : ''} · default branch <strong>${repo.defaultBranch}</strong>${ref !== repo.defaultBranch ? h` · showing <strong>${ref}</strong>` : ''}</p>
<p class="meta">Clone: <code>${ctx.baseUrl}${repoPath(repo)}.git</code> · branches: ${branches.map((b, i) => h`${i ? ', ' : ''}<a href="${repoPath(repo, `/tree/${encodeURIComponent(b)}`)}">${b}</a>`)}</p>
<div class="box"><div class="head">Files on ${ref}${head ? h` at <a class="sha" href="${repoPath(repo, `/commit/${head}`)}">${head.slice(0, 7)}</a>` : ''}</div>${entries.length ? h`<table class="list">${entries.map((e) => h`<tr><td>${e.type === 'dir' ? '📁' : '📄'} ${e.type === 'dir' ? e.name : h`<a href="${repoPath(repo, `/blob/${encodeURIComponent(ref)}/${e.path.split('/').map(encodeURIComponent).join('/')}`)}">${e.name}</a>`}</td></tr>`)}</table>` : h`<div class="body empty">This branch is empty.</div>`}</div>
<div class="box"><div class="head">Recent commits on ${ref}</div>${commits.length ? h`<table class="list">${commits.map((c) => commitRow(repo, c))}</table>` : h`<div class="body empty">No commits.</div>`}</div>
<div class="box"><div class="head">Open pull requests</div>${issues.some((i) => i.isPull) ? h`<table class="list">${issues.filter((i) => i.isPull).map(issueRow)}</table>` : h`<div class="body empty">None.</div>`}</div>
<div class="box"><div class="head">Open issues</div>${issues.some((i) => !i.isPull) ? h`<table class="list">${issues.filter((i) => !i.isPull).map(issueRow)}</table>` : h`<div class="body empty">None.</div>`}</div>`,
  }));
}

export async function commitPage(ctx: SandboxContext, viewer: string | null, repo: RepoState, rev: string): Promise<PageResult | null> {
  const git = ctx.git(keyOf(repo.owner, repo.name));
  const commit = /^[0-9a-f]{4,40}$/i.test(rev) ? await git.getCommit(rev) : null;
  if (!commit) return null;
  const files = await git.changedFiles(commit.sha);
  const [subject, ...rest] = commit.message.split('\n');
  return okPage(page({
    title: `${subject} · ${repo.owner}/${repo.name}@${commit.sha.slice(0, 7)}`,
    viewer,
    crumbs: [{ text: repo.owner, href: `/${encodeURIComponent(repo.owner)}` }, { text: repo.name, href: repoPath(repo) }, { text: `commit ${commit.sha.slice(0, 7)}` }],
    body: h`<h1>${subject}</h1>${rest.join('\n').trim() ? h`<pre class="diff">${rest.join('\n').trim()}</pre>` : ''}
<p class="meta">${commit.author.name} &lt;${commit.author.email}&gt; authored ${when(commit.author.date.toISOString())}${commit.committer.email !== commit.author.email ? h` · committed by ${commit.committer.name}` : ''}</p>
<p class="meta">commit <span class="sha">${commit.sha}</span> · ${commit.parents.length === 0 ? 'root commit' : h`parent${commit.parents.length > 1 ? 's' : ''} ${commit.parents.map((p, i) => h`${i ? ' + ' : ''}<a class="sha" href="${repoPath(repo, `/commit/${p}`)}">${p.slice(0, 7)}</a>`)}`}</p>
${diffView(files)}`,
  }));
}

/** `/blob/<ref>/<path>`: a text file as it is on that ref; `/raw/…` the bytes themselves. */
export async function blobPage(ctx: SandboxContext, viewer: string | null, repo: RepoState, ref: string, path: string, rawBytes: boolean): Promise<PageResult | null> {
  const file = await ctx.git(keyOf(repo.owner, repo.name)).readFile(ref, path);
  if (!file) return null;
  if (rawBytes) return { status: 200, html: file.content.toString('utf8'), contentType: 'text/plain; charset=utf-8' };
  return okPage(page({
    title: `${path} at ${ref} · ${repo.owner}/${repo.name}`,
    viewer,
    crumbs: [{ text: repo.owner, href: `/${encodeURIComponent(repo.owner)}` }, { text: repo.name, href: repoPath(repo, `/tree/${encodeURIComponent(ref)}`) }, { text: path }],
    body: h`<div class="box"><div class="head">${path} · ${file.size} bytes · <a href="${repoPath(repo, `/raw/${encodeURIComponent(ref)}/${path.split('/').map(encodeURIComponent).join('/')}`)}">Raw</a></div><pre class="diff">${file.content.includes(0) ? '(binary file)' : file.content.toString('utf8')}</pre></div>`,
  }));
}
