/**
 * Copies one branch with its whole history from one git server to another (drills rehearse on such
 * copies). Each side's token travels only in an `http.extraHeader` given per command; the copy is
 * pushed with --force because the target is a private rehearsal repository created for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GIT_SILENCE_MS } from './revert-branch.ts';
import { redactTokens, tokenHeaderConfig } from './token-auth.ts';

export interface MirrorBranchRequest {
  readonly from: { readonly url: string; readonly token: string };
  readonly to: { readonly url: string; readonly token: string };
  readonly branch: string;
  readonly workRoot: string;
}

export async function mirrorBranch(req: MirrorBranchRequest): Promise<void> {
  const dir = await mkdtemp(join(req.workRoot, 'mirror-'));
  try {
    await withToken(dir, req.from.token).clone(req.from.url, join(dir, 'repo.git'), ['--bare', '--single-branch', '--branch', req.branch, '--quiet']);
    await withToken(join(dir, 'repo.git'), req.to.token).push(req.to.url, `refs/heads/${req.branch}:refs/heads/${req.branch}`, ['--force', '--quiet']);
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    throw new Error(`copying ${req.branch} of ${req.from.url} failed: ${redactTokens(text, req.from.token, req.to.token)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function withToken(dir: string, token: string): SimpleGit {
  return simpleGit({ baseDir: dir, timeout: { block: GIT_SILENCE_MS }, config: [tokenHeaderConfig(token)] });
}
