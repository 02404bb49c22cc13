import { runGit } from './run-git.ts';
import { assertRepoPath } from './validate-input.ts';

export interface PathEntry {
  /** what is at the path itself: a file (blob), a directory (tree), or nothing */
  entry: { type: 'blob' | 'tree'; sha: string } | null;
  /** the first parent directory of the path that is a file instead (so nothing can be written there), or null */
  fileInTheWay: string | null;
}

/**
 * What `filePath` is at `commit`, and whether a parent of it is a file, in one `git ls-tree` over the path and
 * its parents (literal pathspecs, so `*` or `?` in a name match only themselves).
 */
export async function readPathEntry(gitDir: string, commit: string, filePath: string): Promise<PathEntry> {
  assertRepoPath('path', filePath);
  const parts = filePath.split('/');
  const paths = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  const { stdout } = await runGit(['--literal-pathspecs', 'ls-tree', '-z', commit, '--', ...paths], { gitDir });
  const found = new Map<string, { type: string; sha: string }>();
  for (const record of stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, type, sha] = record.slice(0, tab).split(' ');
    found.set(record.slice(tab + 1), { type, sha });
  }
  const own = found.get(filePath);
  const entry = own?.type === 'blob' || own?.type === 'tree' ? { type: own.type as 'blob' | 'tree', sha: own.sha } : null;
  const fileInTheWay = paths.slice(0, -1).find((p) => found.get(p)?.type === 'blob') ?? null;
  return { entry, fileInTheWay };
}
