/**
 * Writes the tree of a commit with some files changed, without an index: the directories on the changed paths
 * are read through the batch reader (object-reader.ts), changed in memory, and written bottom-up by this
 * process, as `git mktree` writes trees and `git hash-object -w --stdin` blobs (write-commit.ts): no git
 * process starts for a commit made through the API.
 * It applies changes exactly as `read-tree` + `update-index --index-info` + `write-tree` did (writeTree in
 * write-commit.ts, which test/sandbox/git/tree-writer.test.ts keeps as its oracle): a written file gets mode
 * 100644 and replaces whatever was at its path or on the way to it; a deleted path removes a file there and
 * leaves a directory alone; a directory left empty disappears.
 */
import { objectContents } from './object-reader.ts';
import { writeLooseObject } from './write-commit.ts';
import { assertRepoPath } from './validate-input.ts';

interface Entry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

/** A directory being changed: its entries, where a changed subdirectory is a Dir of its own. */
interface Dir {
  entries: Map<string, Entry | Dir>;
}

const isDir = (e: Entry | Dir | undefined): e is Dir => e !== undefined && 'entries' in e;

/** Parses a raw tree object (`<mode> <name>\0<20-byte id>` repeated). */
function parseTree(data: Buffer): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(32, i);
    const nul = data.indexOf(0, space);
    const mode = data.subarray(i, space).toString('latin1');
    const name = data.subarray(space + 1, nul).toString('utf8');
    const sha = data.subarray(nul + 1, nul + 21).toString('hex');
    const type = mode === '40000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
    entries.set(name, { mode, type, sha });
    i = nul + 21;
  }
  return entries;
}

async function loadDir(gitDir: string, tree: string | null): Promise<Dir> {
  if (tree === null) return { entries: new Map() };
  const object = await objectContents(gitDir, tree);
  if (object?.type !== 'tree') throw new Error(`sandbox git: ${tree} is not a tree in ${gitDir}`);
  return { entries: parseTree(object.data) };
}

/** The Dir at `name` inside `dir`, loaded or made; a file or submodule in the way is replaced. */
async function subdir(gitDir: string, dir: Dir, name: string): Promise<Dir> {
  const current = dir.entries.get(name);
  if (isDir(current)) return current;
  const loaded = await loadDir(gitDir, current?.type === 'tree' ? current.sha : null);
  dir.entries.set(name, loaded);
  return loaded;
}

/** The Dir at `name` inside `dir` if a directory is there, else null (nothing to delete below it). */
async function existingSubdir(gitDir: string, dir: Dir, name: string): Promise<Dir | null> {
  const current = dir.entries.get(name);
  if (isDir(current)) return current;
  if (current?.type !== 'tree') return null;
  const loaded = await loadDir(gitDir, current.sha);
  dir.entries.set(name, loaded);
  return loaded;
}

/**
 * A tree object as `git mktree` writes it: entries sorted as git sorts them (by name bytes, a directory's name
 * compared as if it ended in `/`), each `<mode> <name>\0<20-byte id>`, a directory's mode written `40000`.
 * Written by this process (write-commit.ts), with no existence check of the entries (they were just read from
 * this repository's trees or written here), like `mktree --missing`.
 */
async function writeTreeObject(gitDir: string, entries: Array<{ mode: string; name: string; sha: string }>): Promise<string> {
  const keyed = entries.map((e) => {
    const mode = e.mode.replace(/^0+/, '');
    return { mode, name: Buffer.from(e.name, 'utf8'), sha: e.sha, key: Buffer.from(mode === '40000' ? `${e.name}/` : e.name, 'utf8') };
  });
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  const parts: Buffer[] = [];
  for (const e of keyed) parts.push(Buffer.from(`${e.mode} `, 'latin1'), e.name, Buffer.from([0]), Buffer.from(e.sha, 'hex'));
  return writeLooseObject(gitDir, 'tree', Buffer.concat(parts));
}

/** Writes `dir` and its changed subdirectories bottom-up; null when it ends up empty (unless it is the root). */
async function writeDir(gitDir: string, dir: Dir, root = false): Promise<string | null> {
  const entries: Array<{ mode: string; name: string; sha: string }> = [];
  for (const [name, e] of dir.entries) {
    if (isDir(e)) {
      const sha = await writeDir(gitDir, e);
      if (sha !== null) entries.push({ mode: '40000', name, sha });
    } else {
      entries.push({ mode: e.mode, name, sha: e.sha });
    }
  }
  if (entries.length === 0 && !root) return null;
  return writeTreeObject(gitDir, entries);
}

/** The tree of `baseTree` (a full tree id, or null for none) with `files` applied (content, or null to delete). */
export async function writeTreeWithoutIndex(gitDir: string, baseTree: string | null, files: Record<string, string | Buffer | null>): Promise<string> {
  const entries = Object.entries(files);
  for (const [file] of entries) assertRepoPath('file path', file);
  const root = await loadDir(gitDir, baseTree);
  for (const [file, content] of entries) {
    const parts = file.split('/');
    const name = parts.pop()!;
    if (content === null) {
      let dir: Dir | null = root;
      for (const part of parts) if (dir) dir = await existingSubdir(gitDir, dir, part);
      const there = dir?.entries.get(name);
      if (dir && there !== undefined && !isDir(there) && there.type !== 'tree') dir.entries.delete(name);
      continue;
    }
    const sha = await writeLooseObject(gitDir, 'blob', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    let dir = root;
    for (const part of parts) dir = await subdir(gitDir, dir, part);
    dir.entries.set(name, { mode: '100644', type: 'blob', sha });
  }
  return (await writeDir(gitDir, root, true))!;
}
