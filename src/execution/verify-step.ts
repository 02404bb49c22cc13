/**
 * After a revert PR merged: the default branch must no longer carry the reverted change. Each file a
 * reverted commit touched must equal its content before that commit; when a later commit changed
 * the file again, the difference is reported as drift instead of being hidden. The branch is looked at as
 * the merge left it (the merge commit, whose files the GraphQL merge's answer carries), or else as it is
 * when verification reads it.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import type { StepState } from './state.ts';
import { mapBounded } from '../shared/map-bounded.ts';

/** Each file the step's commits touched, with its blob before them; and what could not be read. */
export interface FilesBefore {
  readonly unreadable: string[];
  readonly files: Array<{ readonly file: string; readonly blobSha: string | null }>;
}

/**
 * What the step's files were before its reverted commits. It never changes, so a run reads it while the
 * revert PR waits for its checks (RunContext.once), and verification after the merge reads only the branch.
 */
export async function filesBefore(port: GitHubPort, repo: RepoRef, step: StepState): Promise<FilesBefore> {
  const commits = await Promise.all(step.targets.map((t) => port.getCommit(repo, t.sha)));
  const unreadable: string[] = [];
  const pairs: Array<{ file: string; before: string }> = [];
  step.targets.forEach((target, i) => {
    const before = commits[i]?.parents[0];
    if (!before) unreadable.push(`${target.sha.slice(0, 7)}: cannot read the commit before it`);
    else for (const file of target.files) pairs.push({ file, before });
  });
  const files = await mapBounded(pairs, FILES_AT_ONCE, async ({ file, before }) => ({ file, blobSha: (await port.getFile(repo, file, before))?.blobSha ?? null }));
  return { unreadable, files };
}

/** What the merge commit holds at the step's files (blob, or null for none), as the merge's answer said. */
export interface FilesAfter {
  readonly commit: string;
  readonly files: Readonly<Record<string, string | null>>;
}

/**
 * `after`: the files as the merge left them (the default branch at the merge commit), when the merge's answer
 * carried them; else the branch is read as it is now.
 */
export async function findDrift(port: GitHubPort, repo: RepoRef, defaultBranch: string, step: StepState, before: Promise<FilesBefore> = filesBefore(port, repo, step), after?: Promise<FilesAfter>): Promise<string[]> {
  // Verification sits between a wave's merges and the next wave, so its round trips are on the rollback's
  // critical path: the files are read on the branch by name, with its head (is it there at all?) at once, and
  // the earlier contents are usually read already.
  const atMerge = after ? await after.catch(() => null) : null;
  const blobNow = async (file: string): Promise<string | null> => (atMerge && file in atMerge.files ? (atMerge.files[file] ?? null) : ((await port.getFile(repo, file, atMerge?.commit ?? defaultBranch))?.blobSha ?? null));
  const compare = async (then: FilesBefore): Promise<string[]> => {
    const changed = await mapBounded(then.files, FILES_AT_ONCE, async ({ file, blobSha }) => (await blobNow(file)) !== blobSha);
    return [...then.unreadable, ...then.files.filter((_, i) => changed[i]).map((f) => f.file)];
  };
  const [head, drift] = await Promise.all([atMerge ? atMerge.commit : port.getBranchSha(repo, defaultBranch), before.then(compare)]);
  if (!head) return [`branch ${defaultBranch} is missing`];
  return [...new Set(drift)].sort();
}

/** Files read at once. */
const FILES_AT_ONCE = 8;
