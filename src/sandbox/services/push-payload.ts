/** Builds the `push` webhook body for one ref update. */
import type { SandboxContext } from '../context.ts';
import type { CommitData } from '../git/bare-repo.ts';
import type { RepoState } from '../state/model.ts';
import { accountByEmail } from '../objects/commit.ts';
import { repoHtml } from '../objects/urls.ts';
import { repoKey } from './repo-key.ts';

export const ZERO = '0000000000000000000000000000000000000000';
const MAX_COMMITS = 20;

async function pushCommit(ctx: SandboxContext, repo: RepoState, c: CommitData): Promise<Record<string, unknown>> {
  const files = await ctx.git(repoKey(repo)).changedFiles(c.sha);
  const person = (p: { name: string; email: string; date: Date }): Record<string, unknown> => {
    const acc = accountByEmail(ctx, p.email);
    return { name: p.name, email: p.email, date: p.date.toISOString().replace(/\.\d{3}Z$/, 'Z'), ...(acc ? { username: acc.login } : {}) };
  };
  return {
    id: c.sha,
    tree_id: c.tree,
    distinct: true,
    message: c.message,
    timestamp: c.committer.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    url: repoHtml(ctx, repo.owner, repo.name, `/commit/${c.sha}`),
    author: person(c.author),
    committer: person(c.committer),
    added: files.filter((f) => f.status === 'added').map((f) => f.filename),
    removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
    modified: files.filter((f) => f.status === 'modified' || f.status === 'renamed').map((f) => f.filename),
  };
}

export async function pushPayload(
  ctx: SandboxContext,
  repo: RepoState,
  u: { ref: string; before: string; after: string },
  pusher: { name: string; email: string },
  /** For a new branch: the default branch's tip when it was pushed (its commits are those new to the repository). */
  defaultTip?: string | null,
): Promise<Record<string, unknown>> {
  const git = ctx.git(repoKey(repo));
  const created = u.before === ZERO;
  const deleted = u.after === ZERO;
  let shas: string[] = [];
  let forced = false;
  if (!deleted) {
    if (created) {
      const base = defaultTip !== undefined ? defaultTip : await git.resolve(`refs/heads/${repo.defaultBranch}`);
      shas = base && base !== u.after ? (await git.compare(base, u.after)).commits : [];
      if (!base) shas = (await git.log(u.after, MAX_COMMITS)).reverse();
    } else {
      forced = !(await git.isAncestor(u.before, u.after));
      shas = (await git.compare(u.before, u.after)).commits;
    }
  }
  const commits: Record<string, unknown>[] = [];
  for (const sha of shas.slice(-MAX_COMMITS)) {
    const c = await git.getCommit(sha);
    if (c) commits.push(await pushCommit(ctx, repo, c));
  }
  const headData = deleted ? null : await git.getCommit(u.after);
  const head = headData ? (commits.find((c) => c.id === headData.sha) ?? (await pushCommit(ctx, repo, headData))) : null;
  return {
    ref: u.ref,
    before: u.before,
    after: u.after,
    base_ref: null,
    created,
    deleted,
    forced,
    compare: repoHtml(ctx, repo.owner, repo.name, created ? `/commit/${u.after.slice(0, 12)}` : `/compare/${u.before.slice(0, 12)}...${u.after.slice(0, 12)}`),
    commits,
    head_commit: head,
    pusher,
  };
}
