import { objectContents } from './object-reader.ts';
import { isSafe } from './ref-ops.ts';
import { runGit } from './run-git.ts';
import { assertRepoPath } from './validate-input.ts';

export interface DirEntry {
  name: string;
  path: string;
  type: 'file' | 'dir';
  sha: string;
  size: number;
}

/** The blob at `commit:filePath`, or null (missing, a directory, or an unsafe path). */
export async function readBlob(gitDir: string, commit: string, filePath: string): Promise<{ content: Buffer; blobSha: string; size: number } | null> {
  if (!isSafe(() => assertRepoPath('path', filePath))) return null;
  const object = await objectContents(gitDir, `${commit}:${filePath}`);
  if (object?.type !== 'blob') return null;
  return { content: object.data, blobSha: object.oid, size: object.size };
}

/** Entries of the directory `commit:dirPath` ('' = root), or null when it is not a directory. */
export async function listTree(gitDir: string, commit: string, dirPath: string): Promise<DirEntry[] | null> {
  const dir = dirPath.replace(/^\/+|\/+$/g, '');
  if (dir !== '' && !isSafe(() => assertRepoPath('path', dir))) return null;
  const result = await runGit(['ls-tree', '-z', '-l', `${commit}:${dir}`], { gitDir, okCodes: [0, 128] });
  if (result.code !== 0) return null;
  const entries: DirEntry[] = [];
  for (const record of result.stdout.toString('utf8').split('\0')) {
    const tab = record.indexOf('\t');
    if (tab === -1) continue;
    const [, type, sha, size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob' && type !== 'tree') continue; // submodules are not modelled
    const name = record.slice(tab + 1);
    entries.push({ name, path: dir === '' ? name : `${dir}/${name}`, type: type === 'blob' ? 'file' : 'dir', sha, size: type === 'blob' ? Number(size) : 0 });
  }
  return entries;
}
