/**
 * Creates a revert branch with real git: a partial (blob:none), shallow fetch of the base branch,
 * a sparse checkout of only the files the reverted commits touched, `git revert` (-m 1 for merge
 * commits) of each commit newest first, and a push of the new branch (never forced).
 *
 * The installation token travels only in an `http.extraHeader` passed per command with `-c`; it is
 * never written to a URL, to `.git/config` or to a log.
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { redactTokens, tokenHeaderConfig } from './token-auth.ts';

export interface RevertCommitSpec {
  readonly sha: string;
  /** Full commit message of the revert commit (title, body, trailers). */
  readonly message: string;
}

export interface RevertBranchRequest {
  readonly cloneUrl: string;
  readonly token: string;
  readonly baseBranch: string;
  readonly branch: string;
  /** Newest first. */
  readonly reverts: readonly RevertCommitSpec[];
  readonly workRoot: string;
  readonly identity: { readonly name: string; readonly email: string };
  /** How long a git command may say nothing before it is killed (default GIT_SILENCE_MS). */
  readonly silenceMs?: number;
}

export type RevertBranchResult =
  | { readonly kind: 'pushed'; readonly headSha: string; readonly baseSha: string; readonly bytesFetched: number }
  | { readonly kind: 'conflict'; readonly sha: string; readonly files: readonly string[] }
  | { readonly kind: 'branch_exists' }
  | { readonly kind: 'nothing_to_revert'; readonly sha: string }
  | { readonly kind: 'missing_commit'; readonly sha: string };

const INITIAL_DEPTH = 20;
const MAX_DEEPEN_ROUNDS = 6;

export async function createRevertBranch(req: RevertBranchRequest): Promise<RevertBranchResult> {
  const dir = await mkdtemp(join(req.workRoot, 'revert-'));
  try {
    return await revertIn(dir, req);
  } catch (err) {
    // git's own messages name URLs, never the extraHeader; redact anyway, so no path can leak it.
    throw new Error(`revert of ${req.branch} failed: ${redactTokens(err instanceof Error ? err.message : String(err), req.token)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A git command that has said nothing for this long is killed (simple-git's block timeout): the step fails with
 * an error the reconciler resumes from, instead of a loop that waits forever on a hung fetch or push.
 */
export const GIT_SILENCE_MS = 120_000;

function gitFor(dir: string, req: RevertBranchRequest): SimpleGit {
  return simpleGit({
    baseDir: dir,
    timeout: { block: req.silenceMs ?? GIT_SILENCE_MS },
    config: [
      tokenHeaderConfig(req.token),
      `user.name=${req.identity.name}`,
      `user.email=${req.identity.email}`,
      'advice.detachedHead=false',
      'core.sparseCheckout=true',
    ],
  });
}

async function revertIn(dir: string, req: RevertBranchRequest): Promise<RevertBranchResult> {
  const git = gitFor(dir, req);
  await git.init(['--quiet']);
  await git.addRemote('origin', req.cloneUrl);
  const remoteRef = `refs/remotes/origin/${req.baseBranch}`;
  await git.raw(['fetch', '--quiet', '--no-tags', '--filter=blob:none', `--depth=${INITIAL_DEPTH}`, 'origin', `+refs/heads/${req.baseBranch}:${remoteRef}`]);

  for (const r of req.reverts) {
    if (!(await hasCommitWithParents(git, r.sha))) {
      const found = await deepenUntil(git, r.sha);
      if (!found) return { kind: 'missing_commit', sha: r.sha };
    }
  }

  const files = new Set<string>();
  for (const r of req.reverts) for (const f of await touchedFiles(git, r.sha)) files.add(f);
  await git.raw(['sparse-checkout', 'init', '--no-cone']);
  await writeFile(join(dir, '.git', 'info', 'sparse-checkout'), [...files].map(sparsePattern).join('\n') + '\n');
  const baseSha = (await git.revparse([remoteRef])).trim();
  await git.raw(['checkout', '--quiet', '-b', req.branch, remoteRef]);

  for (const r of req.reverts) {
    const parents = await parentsOf(git, r.sha);
    const args = ['revert', '--no-commit', ...(parents.length > 1 ? ['-m', '1'] : []), r.sha];
    try {
      await git.raw(args);
    } catch {
      const conflicted = (await git.raw(['diff', '--name-only', '--diff-filter=U'])).split('\n').filter(Boolean);
      return { kind: 'conflict', sha: r.sha, files: conflicted };
    }
    const staged = (await git.raw(['diff', '--cached', '--name-only'])).trim();
    if (!staged) return { kind: 'nothing_to_revert', sha: r.sha };
    const msgFile = join(dir, '.git', 'UNWIND_MSG');
    await writeFile(msgFile, r.message);
    await git.raw(['commit', '--quiet', '--no-verify', '-F', msgFile]);
  }
  const headSha = (await git.revparse(['HEAD'])).trim();
  try {
    await git.raw(['push', '--quiet', 'origin', `HEAD:refs/heads/${req.branch}`]);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (/\[rejected\]|fetch first|already exists|non-fast-forward/.test(text)) return { kind: 'branch_exists' };
    throw new Error(`git push of ${req.branch} failed: ${redactTokens(text, req.token)}`);
  }
  return { kind: 'pushed', headSha, baseSha, bytesFetched: await objectBytes(join(dir, '.git', 'objects')) };
}

async function hasCommitWithParents(git: SimpleGit, sha: string): Promise<boolean> {
  try {
    await git.raw(['cat-file', '-e', `${sha}^{commit}`]);
    const shallow = (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    if (!shallow) return true;
    // A commit at the shallow boundary has no parents locally; require the first parent too.
    await git.raw(['cat-file', '-e', `${sha}^1^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

async function deepenUntil(git: SimpleGit, sha: string): Promise<boolean> {
  let by = INITIAL_DEPTH;
  for (let round = 0; round < MAX_DEEPEN_ROUNDS; round++) {
    by *= 2;
    await git.raw(['fetch', '--quiet', '--no-tags', '--filter=blob:none', `--deepen=${by}`, 'origin']);
    if (await hasCommitWithParents(git, sha)) return true;
  }
  await git.raw(['fetch', '--quiet', '--no-tags', '--filter=blob:none', '--unshallow', 'origin']).catch(() => undefined);
  return hasCommitWithParents(git, sha);
}

async function parentsOf(git: SimpleGit, sha: string): Promise<string[]> {
  const line = (await git.raw(['rev-list', '--parents', '-n', '1', sha])).trim();
  return line.split(' ').slice(1);
}

async function touchedFiles(git: SimpleGit, sha: string): Promise<string[]> {
  const out = await git.raw(['diff-tree', '--no-commit-id', '--name-only', '-r', '-z', '--no-renames', `${sha}^1`, sha]);
  return out.split('\0').filter(Boolean);
}

/** A gitignore-style pattern that matches exactly one path. */
function sparsePattern(path: string): string {
  return '/' + path.replace(/[\\*?[\]!# ]/g, (c) => `\\${c}`);
}

async function objectBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}
