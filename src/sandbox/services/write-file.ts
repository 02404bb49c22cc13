/**
 * Creates, replaces or deletes one file on a branch like the Contents API: a real one-parent commit on the
 * branch head, GitHub's 404/409/422 rules, a compare-and-swap on the branch, then the `push` webhook.
 */
import type { SandboxContext } from '../context.ts';
import type { CommitData, Person } from '../git/bare-repo.ts';
import { isSafe } from '../git/ref-ops.ts';
import { assertRefName, assertRepoPath } from '../git/validate-input.ts';
import { objectId } from '../git/write-commit.ts';
import { HttpError, notFound, validationFailed } from '../http/http-error.ts';
import { gitIdentity } from '../objects/commit.ts';
import type { ProtectionState, RepoState } from '../state/model.ts';
import { applyRefUpdates } from './apply-ref-updates.ts';
import { ZERO } from './push-payload.ts';
import { repoKey } from './repo-key.ts';

export interface FileWrite {
  path: string;
  /** the new content, or null to delete the file */
  content: Buffer | null;
  message: string;
  /** blob sha of the file being replaced or deleted (required when the file exists) */
  sha?: string;
  /** default: the repository's default branch */
  branch?: string;
  /** default: the committer */
  author?: Person;
  /** default: the acting user or the App's bot (`<slug>[bot]`) */
  committer?: Person;
}

export interface FileWritten {
  /** true when the file did not exist before */
  created: boolean;
  branch: string;
  commit: CommitData;
  /** the new blob, null after a delete */
  blob: { sha: string; size: number } | null;
}

const PROTECTED_DOCS = 'https://docs.github.com/articles/about-protected-branches';

/** GitHub's refusal for a direct write to a branch whose protection requires checks or reviews, or null. */
function protectionRefusal(p: ProtectionState | undefined, verb: 'update' | 'delete'): HttpError | null {
  if (!p || (p.requiredChecks.length === 0 && p.requiredApprovals === 0)) return null;
  const n = p.requiredChecks.length;
  const checks = n === 0 ? '' : n === 1 ? `Required status check "${p.requiredChecks[0]}" is expected. ` : `${n} of ${n} required status checks are expected. `;
  return new HttpError(409, `Could not ${verb} file: ${checks}Changes must be made through a pull request.`, { documentationUrl: PROTECTED_DOCS });
}

export async function writeFile(ctx: SandboxContext, repo: RepoState, by: string, w: FileWrite): Promise<FileWritten> {
  const git = ctx.git(repoKey(repo));
  const deleting = w.content === null;
  // 1. The branch: it must exist, except for the first file of an empty repository on its default branch.
  const branch = (w.branch ?? repo.defaultBranch).replace(/^refs\/heads\//, '');
  const ref = `refs/heads/${branch}`;
  if (!isSafe(() => assertRefName('branch', ref))) throw new HttpError(404, `Branch ${branch} not found`);
  const head = await git.resolve(ref);
  if (head === null && (deleting || branch !== repo.defaultBranch || (await git.listRefs('refs/heads/')).size > 0)) {
    throw new HttpError(404, `Branch ${branch} not found`);
  }
  // 2. The path and what is there now.
  if (!isSafe(() => assertRepoPath('path', w.path))) throw validationFailed([{ resource: 'Content', field: 'path', code: 'invalid' }]);
  const at = head === null ? { entry: null, fileInTheWay: null } : await git.pathEntry(head, w.path);
  const existing = at.entry?.type === 'blob' ? at.entry.sha : null;
  if (deleting && existing === null) throw notFound();
  if (!deleting && (at.entry?.type === 'tree' || at.fileInTheWay !== null)) {
    throw validationFailed([{ resource: 'Content', field: 'path', code: 'invalid' }]);
  }
  // 3. The caller's view of the file must be current.
  if (existing !== null) {
    if (w.sha === undefined) throw validationFailed([{ resource: 'Content', field: 'sha', code: 'missing_field' }], 'Invalid request.\n\n"sha" wasn\'t supplied.');
    if (w.sha !== existing) throw new HttpError(409, `${w.path} does not match ${w.sha}`);
  }
  const refusal = protectionRefusal(repo.protection[branch], deleting ? 'delete' : 'update');
  if (refusal) throw refusal;
  // 4. A one-parent commit on the head we read, then a compare-and-swap of the branch onto it.
  const now = ctx.now();
  const committer = { ...(w.committer ?? gitIdentity(ctx, by)), date: w.committer?.date ?? now };
  const author = w.author ? { ...w.author, date: w.author.date ?? now } : committer;
  const sha = await git.commitFiles({ branch: null, parents: head === null ? [] : [head], files: { [w.path]: w.content }, message: w.message, author, committer, now });
  if (!(await git.updateRef(ref, sha, head))) {
    const moved = await git.resolve(ref);
    throw new HttpError(409, `is at ${moved ?? ZERO} but expected ${head ?? ZERO}`);
  }
  // 5. What a push of that commit does: push webhook, PR synchronize, CI.
  await applyRefUpdates(ctx, repo, [{ ref, before: head ?? ZERO, after: sha }], by);
  const commit = await git.getCommit(sha);
  if (!commit) throw new Error(`sandbox: commit ${sha} vanished from ${repo.owner}/${repo.name}`);
  return { created: existing === null, branch, commit, blob: w.content === null ? null : { sha: objectId('blob', w.content), size: w.content.length } };
}
