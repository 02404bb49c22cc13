/** What the pages share: who may see a repository, links, the diff view, commit summaries. */
import type { SandboxContext } from '../context.ts';
import { userRole } from '../auth/access.ts';
import type { ChangedFile, CommitData } from '../git/types.ts';
import type { RepoState } from '../state/model.ts';
import { h, type Html } from './escape.ts';

/** A private repository is seen only by a signed-in user with a role on it (as on GitHub); others get 404. */
export function canView(ctx: SandboxContext, viewer: string | null, repo: RepoState): boolean {
  return !repo.private || (viewer !== null && userRole(ctx, viewer, repo) !== null);
}

/** Site-relative links: the pages work whatever host or port the sandbox answers on. */
export function repoPath(repo: Pick<RepoState, 'owner' | 'name'>, rest = ''): string {
  return `/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}${rest}`;
}

/** A person's page, or for `<slug>[bot]` the App's page (`/apps/<slug>`, as on GitHub). */
export function userLink(login: string): Html {
  const bot = /^(.+)\[bot\]$/.exec(login);
  return h`<a href="${bot ? `/apps/${encodeURIComponent(bot[1])}` : `/${encodeURIComponent(login)}`}">${login}</a>`;
}

export function when(iso: string | null): Html {
  return iso ? h`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}</time>` : h``;
}

export function commitRow(repo: RepoState, c: CommitData): Html {
  const [subject] = c.message.split('\n');
  return h`<tr><td><a class="sha" href="${repoPath(repo, `/commit/${c.sha}`)}">${c.sha.slice(0, 7)}</a></td><td>${subject}</td><td class="meta">${c.author.name}</td><td class="meta">${when(c.author.date.toISOString())}</td></tr>`;
}

/** Files changed, each with its unified diff (added and removed lines marked). */
export function diffView(files: readonly ChangedFile[]): Html {
  if (files.length === 0) return h`<p class="empty">No files changed.</p>`;
  const add = files.reduce((n, f) => n + f.additions, 0);
  const del = files.reduce((n, f) => n + f.deletions, 0);
  return h`<p class="meta">${files.length} file(s) changed, ${add} addition(s), ${del} deletion(s)</p>${files.map(
    (f) => h`<div class="box file"><div class="head"><strong>${f.filename}</strong> ${f.previousFilename ? h`(from ${f.previousFilename})` : ''} · ${f.status} · <span class="check success">+${f.additions}</span> <span class="check failure">−${f.deletions}</span></div>
<pre class="diff">${f.patch === undefined ? h`<span class="meta">Binary file or rename only</span>` : f.patch.split('\n').map((line) => h`<span class="${line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx'}">${line || ' '}</span>${line.startsWith('@@') || line.startsWith('+') || line.startsWith('-') ? '' : '\n'}`)}</pre></div>`,
  )}`;
}
