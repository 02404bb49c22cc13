import { BoundedCache, objectsKey } from './bounded-cache.ts';
import { runGit } from './run-git.ts';
import type { ChangedFile } from './types.ts';

interface RawEntry {
  status: string;
  filename: string;
  previousFilename?: string;
}

function parseRaw(fields: string[]): { raw: RawEntry[]; rest: string[] } {
  const raw: RawEntry[] = [];
  let i = 0;
  while (i < fields.length && fields[i].startsWith(':')) {
    const status = fields[i].split(' ')[4] ?? '';
    if (status.startsWith('R') || status.startsWith('C')) {
      raw.push({ status, previousFilename: fields[i + 1], filename: fields[i + 2] });
      i += 3;
    } else {
      raw.push({ status, filename: fields[i + 1] });
      i += 2;
    }
  }
  return { raw, rest: fields.slice(i) };
}

/** The first `count` numstat records of `fields`, and what follows them (the patch, after an empty field). */
function parseNumstat(fields: string[], count: number): { stats: Array<{ additions: number; deletions: number }>; rest: string[] } {
  const stats: Array<{ additions: number; deletions: number }> = [];
  let i = 0;
  for (; i < fields.length && stats.length < count; i++) {
    const [added, deleted, name] = fields[i].split('\t');
    if (added === undefined || deleted === undefined) continue;
    if (name === '') i += 2; // rename: old and new paths follow as separate fields
    stats.push({ additions: added === '-' ? 0 : Number(added), deletions: deleted === '-' ? 0 : Number(deleted) });
  }
  return { stats, rest: fields.slice(i) };
}

/** Splits `git diff` patch output per file (same order as --raw) and keeps the hunks only. */
function splitPatches(text: string): Array<string | undefined> {
  const sections = text.split(/^diff --git /m).slice(1);
  return sections.map((section) => {
    const at = section.search(/^@@/m);
    return at === -1 ? undefined : section.slice(at).replace(/\n$/, '');
  });
}

const STATUS: Record<string, ChangedFile['status']> = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', T: 'modified', C: 'added' };

/** Keyed by the two object ids: what changed between two commits (or trees) never changes. */
const changes = new BoundedCache<ChangedFile[]>(5_000);

/** Files changed between two tree-ish (GitHub's `files` of a commit or compare), with rename detection. */
export async function listChangedFiles(gitDir: string, base: string, head: string): Promise<ChangedFile[]> {
  const files = await changes.getOrCompute(objectsKey(gitDir, base, head), () => diffFiles(gitDir, base, head));
  return files.map((f) => ({ ...f }));
}

/**
 * One `git diff` prints the raw records, the numstat records (both NUL-terminated under -z) and then the patch
 * text (which has no NUL: files with one are binary): fields are read off the front by count, the rest is the
 * patch. One process instead of two per pair of commits.
 */
async function diffFiles(gitDir: string, base: string, head: string): Promise<ChangedFile[]> {
  const { stdout } = await runGit(
    ['diff', '--raw', '--numstat', '--patch', '--full-index', '-z', '-M', '--no-color', '--no-ext-diff', '--no-textconv', base, head, '--'],
    { gitDir },
  );
  const fields = stdout.toString('utf8').split('\0');
  const { raw, rest } = parseRaw(fields);
  const { stats, rest: after } = parseNumstat(rest, raw.length);
  const patches = splitPatches(after.join('\0').replace(/^\0/, '')); // the empty field that ends the numstat
  return raw.map((entry, i) => {
    const { additions, deletions } = stats[i] ?? { additions: 0, deletions: 0 };
    const file: ChangedFile = {
      filename: entry.filename,
      status: STATUS[entry.status[0]] ?? 'modified',
      additions,
      deletions,
      changes: additions + deletions,
    };
    if (entry.status.startsWith('R')) file.previousFilename = entry.previousFilename;
    const hunk = patches[i];
    if (hunk !== undefined) file.patch = hunk;
    return file;
  });
}
