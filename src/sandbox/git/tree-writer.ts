/**
 * Writes the tree of a commit with some files changed, without an index: the directories on the changed paths
 * are read through the batch reader (object-reader.ts), changed in memory, and written bottom-up by one
 * long-lived `git mktree --batch -z` per repository; new blobs are written by this process as
 * `git hash-object -w --stdin` writes them (write-commit.ts).
 * It applies changes exactly as `read-tree` + `update-index --index-info` + `write-tree` did (writeTree in
 * write-commit.ts, which test/sandbox/git/tree-writer.test.ts keeps as its oracle): a written file gets mode
 * 100644 and replaces whatever was at its path or on the way to it; a deleted path removes a file there and
 * leaves a directory alone; a directory left empty disappears. Two to four fewer processes per commit.
 */
import { PerRepoPool } from './per-repo-pool.ts';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { gitEnv } from './git-env.ts';
import { objectContents } from './object-reader.ts';
import { countGitSpawn } from './run-git.ts';
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

class TreeMaker {
  private child: ChildProcessWithoutNullStreams | null = null;
  private out = '';
  private readonly waiting: Array<{ resolve: (sha: string) => void; reject: (err: Error) => void }> = [];
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(readonly gitDir: string) {}

  make(lines: string[]): Promise<string> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.start();
    (child.stdout as Socket).ref();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      child.stdin.write(lines.map((l) => `${l}\0`).join('') + '\0'); // an empty record ends the tree
    });
  }

  /** Closes now, or (evicted while trees are pending) when its idle timer fires after them. */
  retire(): void {
    if (this.waiting.length === 0) this.close();
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.child;
    this.child = null;
    child?.stdin.end();
    for (const w of this.waiting.splice(0)) w.reject(new Error(`git mktree for ${this.gitDir} was closed`));
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    // --missing: a long-lived mktree looks objects up without rescanning the pack directory, so a blob that a
    // push or repack moved into a new pack since it started reads as "unavailable". Every entry here was just read
    // from this repository's trees or written by hash-object, so the existence check adds nothing.
    const args = ['mktree', '--batch', '-z', '--missing'];
    countGitSpawn(args);
    const child = spawn('git', [`--git-dir=${this.gitDir}`, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.out += chunk.toString('utf8');
      let newline: number;
      while ((newline = this.out.indexOf('\n')) !== -1) {
        const sha = this.out.slice(0, newline);
        this.out = this.out.slice(newline + 1);
        this.waiting.shift()?.resolve(sha);
      }
      if (this.waiting.length === 0) {
        (child.stdout as Socket).unref();
        this.idleTimer = setTimeout(() => this.close(), 10_000);
        this.idleTimer.unref();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.stdin.on('error', () => {});
    const lost = (why: string): void => {
      if (this.child !== child) return;
      this.child = null;
      for (const w of this.waiting.splice(0)) w.reject(new Error(`git mktree failed in ${this.gitDir}: ${err.trim() || why}`));
    };
    child.on('error', (e) => lost(String(e)));
    child.on('close', (code) => lost(`exited ${code}`));
    child.unref();
    (child.stdin as unknown as Socket).unref();
    (child.stderr as Socket).unref();
    return child;
  }
}

const MAX_MAKERS = 32;
const makers = new PerRepoPool(MAX_MAKERS, (gitDir) => new TreeMaker(gitDir));

function makerFor(gitDir: string): TreeMaker {
  return makers.get(gitDir);
}

/** Writes `dir` and its changed subdirectories bottom-up; null when it ends up empty (unless it is the root). */
async function writeDir(maker: TreeMaker, dir: Dir, root = false): Promise<string | null> {
  const lines: string[] = [];
  for (const [name, e] of dir.entries) {
    if (isDir(e)) {
      const sha = await writeDir(maker, e);
      if (sha !== null) lines.push(`040000 tree ${sha}\t${name}`);
    } else {
      lines.push(`${e.mode.padStart(6, '0')} ${e.type} ${e.sha}\t${name}`);
    }
  }
  if (lines.length === 0 && !root) return null;
  return maker.make(lines);
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
  return (await writeDir(makerFor(gitDir), root, true))!;
}

/** Ends the tree makers of every repository under `dir` (a sandbox closing). */
export function closeTreeMakers(dir: string): void {
  makers.closeUnder(dir, (maker) => maker.close());
}
