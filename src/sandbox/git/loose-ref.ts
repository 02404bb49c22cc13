/**
 * A ref update made by this process, as git makes it, in the plain case: the ref is (or becomes) a loose ref
 * file, the repository has no `packed-refs` and keeps no reflog for it, and no directory or file is in the way.
 * Git's own protocol: `<ref>.lock` created exclusively (so git processes and this one exclude each other), the
 * current value compared, the new one written to the lock and renamed over the ref. Everything after the object
 * check happens in one synchronous stretch, so writers of this process exclude each other too.
 *
 * Why: the update otherwise goes to a `git update-ref --stdin` of the repository (ref-writer.ts), which must be
 * started when none runs, and starting one forks the sandbox's large process on its event loop. Anything not
 * plain answers null and goes to git, which then gives git's own answer and error.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import { objectInfo } from './object-reader.ts';
import { isFullSha, ZERO_SHA } from './validate-input.ts';

/**
 * Sets `ref` (a full ref name) to `newSha` (a full id), both already validated by setRef: true when done, false when the compare-and-swap
 * fails (`old` ZERO_SHA: the ref must not exist; a sha: it must hold that; undefined: no check), null when this
 * is not the plain case.
 */
export async function writeLooseRef(gitDir: string, ref: string, newSha: string, old: string | undefined): Promise<boolean | null> {
  if (!ref.startsWith('refs/')) return null;
  // git refuses a missing object, and anything but a commit on a branch: it says so itself.
  const info = await objectInfo(gitDir, newSha);
  if (!info || (ref.startsWith('refs/heads/') && info.type !== 'commit')) return null;
  if (existsSync(join(gitDir, 'packed-refs')) || existsSync(join(gitDir, 'logs', ref)) || logsAllRefUpdates(gitDir)) return null;
  const file = join(gitDir, ref);
  const parts = ref.split('/');
  let dir = gitDir;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const st = statOrNull(dir);
    if (st && !st.isDirectory()) return null; // a ref where a directory of this one would be: git's error
  }
  const there = statOrNull(file);
  if (there && !there.isFile()) return null; // refs below this name: git's error
  const lock = `${file}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  let fd: number;
  try {
    fd = openSync(lock, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return null; // someone holds it: git says what to do
    throw err;
  }
  let renamed = false;
  try {
    let current: string | null = null;
    if (there) {
      const text = readFileSync(file, 'utf8').trim();
      if (!isFullSha(text)) return null; // a symbolic ref, or something else git must read
      current = text;
    }
    if (old !== undefined && (old === ZERO_SHA ? current !== null : current !== old)) return false;
    writeSync(fd, `${newSha}\n`);
    closeSync(fd);
    fd = -1;
    renameSync(lock, file);
    renamed = true;
    return true;
  } finally {
    if (fd !== -1) closeSync(fd);
    if (!renamed) unlinkSync(lock);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** `core.logAllRefUpdates` set in the repository's config: git would write reflogs, so git writes the ref. */
function logsAllRefUpdates(gitDir: string): boolean {
  try {
    return /logallrefupdates/i.test(readFileSync(join(gitDir, 'config'), 'utf8'));
  } catch {
    return false;
  }
}
