import { GitInputError } from './errors.ts';
import { isBatchSafeName, objectInfo } from './object-reader.ts';
import { writeLooseRef } from './loose-ref.ts';
import { deleteRefTransaction, updateRefTransaction } from './ref-writer.ts';
import { runGit } from './run-git.ts';
import { ZERO_SHA, assertRefName, assertRev, assertSha } from './validate-input.ts';

/** Runs an input check; false for a GitInputError (lookups answer "not found" for input git must not see). */
export function isSafe(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (err) {
    if (err instanceof GitInputError) return false;
    throw err;
  }
}

/** The commit a revision names, or null (also for unsafe revisions). */
export async function resolveCommit(gitDir: string, rev: string): Promise<string | null> {
  if (!isSafe(() => assertRev('revision', rev))) return null;
  const name = `${rev}^{commit}`;
  if (isBatchSafeName(name)) return (await objectInfo(gitDir, name))?.oid ?? null;
  const result = await runGit(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { gitDir, okCodes: [0, 1, 128] });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

/** The sha a full ref points at, or null when it does not exist. */
export async function resolveRef(gitDir: string, ref: string): Promise<string | null> {
  assertRefName('ref', ref);
  if (isBatchSafeName(ref)) return (await objectInfo(gitDir, ref))?.oid ?? null;
  const result = await runGit(['rev-parse', '--verify', '--quiet', ref], { gitDir, okCodes: [0, 1, 128] });
  return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
}

/**
 * The value of the ref named exactly `ref` (as `git for-each-ref` lists it), or null. A lookup of a name
 * "DWIMs": when `refs/heads/x` does not exist git also tries `refs/refs/heads/x`, `refs/tags/refs/heads/x`,
 * `refs/heads/refs/heads/x`, `refs/remotes/refs/heads/x` and `refs/remotes/refs/heads/x/HEAD`. So the batch
 * reader's answer is exact only when none of those (nor anything they expand to) exists; then all six answers
 * come from one reader in well under a millisecond. Otherwise `for-each-ref` decides.
 */
export async function exactRef(gitDir: string, ref: string): Promise<string | null> {
  if (!isSafe(() => assertRefName('ref', ref))) return null; // git cannot store such a name, so no such ref exists
  const rest = ref.slice('refs/'.length);
  const alternates = [`refs/${ref}`, `refs/tags/${ref}`, `refs/heads/${ref}`, `refs/remotes/${ref}`, `refs/remotes/${ref}/HEAD`];
  if (isBatchSafeName(ref) && alternates.every(isBatchSafeName) && rest !== '') {
    const [own, ...others] = await Promise.all([ref, ...alternates].map((name) => objectInfo(gitDir, name)));
    if (others.every((o) => o === null)) return own?.oid ?? null;
  }
  const { stdout } = await runGit(['for-each-ref', '--format=%(objectname) %(refname)', ref], { gitDir });
  for (const line of stdout.toString('utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space !== -1 && line.slice(space + 1) === ref) return line.slice(0, space);
  }
  return null;
}

/** `update-ref`, a compare-and-swap when `oldSha` is given (null = must not exist). False when the CAS fails. */
export async function setRef(gitDir: string, ref: string, newSha: string, oldSha?: string | null): Promise<boolean> {
  assertRefName('ref', ref);
  assertSha('new sha', newSha);
  const old = oldSha === undefined ? undefined : oldSha === null ? ZERO_SHA : assertSha('old sha', oldSha);
  // The plain case is written by this process (loose-ref.ts); git's update-ref makes the others.
  const written = await writeLooseRef(gitDir, ref, newSha, old);
  if (written !== null) return written;
  const result = await updateRefTransaction(gitDir, ref, newSha, old);
  if (result.code === 0) return true;
  if (/but expected|already exists|unable to resolve reference|cannot lock ref/.test(result.stderr)) return false;
  throw new GitInputError('ref update', `${ref} → ${newSha}`, result.stderr.trim());
}

/** Deletes a ref (CAS against its current value); false when it does not exist. */
export async function removeRef(gitDir: string, ref: string): Promise<boolean> {
  const current = await resolveRef(gitDir, ref);
  if (current === null) return false;
  const result = await deleteRefTransaction(gitDir, ref, current);
  return result.code === 0;
}
