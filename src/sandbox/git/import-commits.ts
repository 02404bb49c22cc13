import { randomUUID } from 'node:crypto';
import { GitInputError } from './errors.ts';
import { buildFastImportStream } from './fast-import-stream.ts';
import type { NewCommit } from './fast-import-stream.ts';
import { removeRef, resolveRef, setRef } from './ref-ops.ts';
import { runGit } from './run-git.ts';

/**
 * Appends a linear chain of commits to `ref` with one `git fast-import` run into a scratch ref,
 * then moves `ref` by compare-and-swap. The caller holds the repository lock. Oldest sha first.
 */
export async function importCommits(gitDir: string, ref: string, commits: readonly NewCommit[], now: Date): Promise<string[]> {
  const current = await resolveRef(gitDir, ref);
  const scratch = `refs/unwind-import/${randomUUID()}`;
  const stream = buildFastImportStream({ ref: scratch, from: current, commits, now });
  try {
    await runGit(['fast-import', '--quiet', '--done', '--date-format=raw'], { gitDir, input: stream });
    const { stdout } = await runGit(['rev-list', '--reverse', `--max-count=${commits.length}`, scratch], { gitDir });
    const shas = stdout.toString('utf8').split('\n').filter(Boolean);
    if (!(await setRef(gitDir, ref, shas[shas.length - 1], current))) {
      throw new GitInputError('branch', ref, 'moved while commits were being imported');
    }
    return shas;
  } finally {
    await removeRef(gitDir, scratch);
  }
}
