/** `commit`, `diff-entry`, `simple-commit`, `short-branch`, `git-ref` objects from git data. */
import type { SandboxContext } from '../context.ts';
import type { ChangedFile, CommitData } from '../git/bare-repo.ts';
import type { AccountState, RepoState } from '../state/model.ts';
import { simpleUser } from './simple-user.ts';
import { nodeId, repoApi, repoHtml, enc } from './urls.ts';

export function accountByEmail(ctx: SandboxContext, email: string): AccountState | undefined {
  const m = /^(\d+)\+([^@]+)@users\.noreply\.github\.com$/.exec(email);
  if (m && ctx.state.accounts[m[2]]) return ctx.state.accounts[m[2]];
  return Object.values(ctx.state.accounts).find((a) => a.email !== null && a.email === email);
}

export function noreplyEmail(account: AccountState): string {
  return `${account.id}+${account.login}@users.noreply.github.com`;
}

/** Git author/committer identity of a login: the account's name and email (noreply when it has none). */
export function gitIdentity(ctx: SandboxContext, login: string): { name: string; email: string } {
  const acc = ctx.state.accounts[login];
  return { name: acc?.name ?? login, email: acc ? (acc.email ?? noreplyEmail(acc)) : `${login}@users.noreply.github.com` };
}

function gitPerson(p: { name: string; email: string; date: Date }): Record<string, unknown> {
  return { name: p.name, email: p.email, date: p.date.toISOString().replace(/\.\d{3}Z$/, 'Z') };
}

export function diffEntry(ctx: SandboxContext, repo: RepoState, sha: string, f: ChangedFile): Record<string, unknown> {
  const out: Record<string, unknown> = {
    sha: null,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: repoHtml(ctx, repo.owner, repo.name, `/blob/${sha}/${f.filename.split('/').map(enc).join('/')}`),
    raw_url: repoHtml(ctx, repo.owner, repo.name, `/raw/${sha}/${f.filename.split('/').map(enc).join('/')}`),
    contents_url: repoApi(ctx, repo.owner, repo.name, `/contents/${f.filename.split('/').map(enc).join('/')}?ref=${sha}`),
  };
  if (f.patch !== undefined) out.patch = f.patch;
  if (f.previousFilename !== undefined) out.previous_filename = f.previousFilename;
  return out;
}

export function commitObject(ctx: SandboxContext, repo: RepoState, c: CommitData, files?: ChangedFile[]): Record<string, unknown> {
  const author = accountByEmail(ctx, c.author.email);
  const committer = accountByEmail(ctx, c.committer.email);
  const out: Record<string, unknown> = {
    url: repoApi(ctx, repo.owner, repo.name, `/commits/${c.sha}`),
    sha: c.sha,
    node_id: nodeId('C_', parseInt(c.sha.slice(0, 8), 16)),
    html_url: repoHtml(ctx, repo.owner, repo.name, `/commit/${c.sha}`),
    comments_url: repoApi(ctx, repo.owner, repo.name, `/commits/${c.sha}/comments`),
    commit: {
      url: repoApi(ctx, repo.owner, repo.name, `/git/commits/${c.sha}`),
      author: gitPerson(c.author),
      committer: gitPerson(c.committer),
      message: c.message,
      comment_count: 0,
      tree: { sha: c.tree, url: repoApi(ctx, repo.owner, repo.name, `/git/trees/${c.tree}`) },
      verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
    },
    author: author ? simpleUser(ctx, author) : null,
    committer: committer ? simpleUser(ctx, committer) : null,
    parents: c.parents.map((p) => ({
      sha: p,
      url: repoApi(ctx, repo.owner, repo.name, `/commits/${p}`),
      html_url: repoHtml(ctx, repo.owner, repo.name, `/commit/${p}`),
    })),
  };
  if (files) {
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    out.stats = { total: additions + deletions, additions, deletions };
    out.files = files.map((f) => diffEntry(ctx, repo, c.sha, f));
  }
  return out;
}

/** webhook/check-suite style commit: {id, tree_id, message, timestamp, author, committer} */
export function simpleCommit(c: CommitData): Record<string, unknown> {
  return {
    id: c.sha,
    tree_id: c.tree,
    message: c.message,
    timestamp: c.committer.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    author: { name: c.author.name, email: c.author.email },
    committer: { name: c.committer.name, email: c.committer.email },
  };
}

export function gitRef(ctx: SandboxContext, repo: RepoState, ref: string, sha: string): Record<string, unknown> {
  return {
    ref,
    node_id: nodeId('REF_', repo.id),
    url: repoApi(ctx, repo.owner, repo.name, `/git/${ref.split('/').map(enc).join('/')}`),
    object: { sha, type: 'commit', url: repoApi(ctx, repo.owner, repo.name, `/git/commits/${sha}`) },
  };
}
