/** The `file-commit` object the Contents API answers writes with: `{content, commit}`. */
import type { SandboxContext } from '../context.ts';
import type { CommitData } from '../git/bare-repo.ts';
import { isoSeconds } from '../state/initial-state.ts';
import type { RepoState } from '../state/model.ts';
import { nodeId, repoApi, repoHtml, enc } from './urls.ts';

function person(p: Required<CommitData['author']>): Record<string, unknown> {
  return { name: p.name, email: p.email, date: isoSeconds(p.date) };
}

export function fileCommit(
  ctx: SandboxContext,
  repo: RepoState,
  p: { path: string; branch: string; blob: { sha: string; size: number } | null; commit: CommitData },
): Record<string, unknown> {
  const c = p.commit;
  const api = (rest: string): string => repoApi(ctx, repo.owner, repo.name, rest);
  const html = (rest: string): string => repoHtml(ctx, repo.owner, repo.name, rest);
  const filePath = p.path.split('/').map(enc).join('/');
  let content: Record<string, unknown> | null = null;
  if (p.blob) {
    const self = api(`/contents/${filePath}?ref=${enc(p.branch)}`);
    const git = api(`/git/blobs/${p.blob.sha}`);
    const page = html(`/blob/${enc(p.branch)}/${filePath}`);
    content = {
      name: p.path.split('/').pop(),
      path: p.path,
      sha: p.blob.sha,
      size: p.blob.size,
      url: self,
      html_url: page,
      git_url: git,
      download_url: html(`/raw/${enc(p.branch)}/${filePath}`),
      type: 'file',
      _links: { self, git, html: page },
    };
  }
  return {
    content,
    commit: {
      sha: c.sha,
      node_id: nodeId('C_', parseInt(c.sha.slice(0, 8), 16)),
      url: api(`/git/commits/${c.sha}`),
      html_url: html(`/commit/${c.sha}`),
      author: person(c.author),
      committer: person(c.committer),
      tree: { url: api(`/git/trees/${c.tree}`), sha: c.tree },
      message: c.message,
      parents: c.parents.map((sha) => ({ url: api(`/git/commits/${sha}`), html_url: html(`/commit/${sha}`), sha })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
  };
}
