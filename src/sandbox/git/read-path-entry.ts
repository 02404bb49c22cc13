import { objectInfo } from './object-reader.ts';
import { assertRepoPath, assertSha } from './validate-input.ts';

export interface PathEntry {
  /** what is at the path itself: a file (blob), a directory (tree), or nothing */
  entry: { type: 'blob' | 'tree'; sha: string } | null;
  /** the first parent directory of the path that is a file instead (so nothing can be written there), or null */
  fileInTheWay: string | null;
}

/**
 * What `filePath` is at `commit` (a full id), and whether a parent of it is a file: one lookup of the path and
 * each of its parents in the repository's batch reader.
 */
export async function readPathEntry(gitDir: string, commit: string, filePath: string): Promise<PathEntry> {
  assertRepoPath('path', filePath);
  assertSha('commit', commit);
  const parts = filePath.split('/');
  const paths = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  // `<commit>:<path>` names the entry at exactly that path (no pathspec magic); a gitlink or nothing is null.
  const found = await Promise.all(paths.map((p) => objectInfo(gitDir, `${commit}:${p}`)));
  const own = found[found.length - 1];
  const entry = own?.type === 'blob' || own?.type === 'tree' ? { type: own.type, sha: own.oid } : null;
  const fileInTheWay = paths.slice(0, -1).find((_, i) => found[i]?.type === 'blob') ?? null;
  return { entry, fileInTheWay };
}
