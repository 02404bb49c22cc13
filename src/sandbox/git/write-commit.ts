import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import { GitInputError } from './errors.ts';
import { objectInfo } from './object-reader.ts';
import { runGit } from './run-git.ts';
import type { Person } from './types.ts';
import { assertRepoPath } from './validate-input.ts';

function identLine(kind: 'author' | 'committer', who: Person, now: Date): string {
  if (!who.name.trim() || /[<>\n]/.test(who.name) || /[<>\n]/.test(who.email)) {
    throw new GitInputError(kind, `${who.name} <${who.email}>`, 'name must be non-empty; no "<", ">" or newlines');
  }
  const seconds = Math.floor((who.date ?? now).getTime() / 1000);
  return `${kind} ${who.name} <${who.email}> ${seconds} +0000`;
}

/**
 * What `git commit-tree` writes, written by this process: the commit object is hashed and stored as a loose
 * object (objects/xx/…, zlib, written to a temporary name and renamed), as git does. One process fewer per
 * commit: a revert, a merge and a mergeability check each make one to three. Identities git would tidy
 * (spaces or punctuation at either end) and a tree or parent the repository lacks go through
 * `git commit-tree` itself, so the object is always the one git would write (test/sandbox/git/write-commit.test.ts).
 */
export async function commitTree(
  gitDir: string,
  p: { tree: string; parents: readonly string[]; message: string; author: Person; committer: Person; now?: Date },
): Promise<string> {
  const now = p.now ?? new Date();
  const message = p.message.endsWith('\n') ? p.message : `${p.message}\n`;
  // git drops a parent given twice ("duplicate parent ignored").
  const lines = [`tree ${p.tree}`, ...[...new Set(p.parents)].map((sha) => `parent ${sha}`), identLine('author', p.author, now), identLine('committer', p.committer, now)];
  const known = await Promise.all([p.tree, ...p.parents].map(async (sha) => /^[0-9a-f]{40}$/.test(sha) && (await objectInfo(gitDir, sha)) !== null));
  if (!known.every(Boolean) || [p.author, p.committer].some(untidy) || message.includes('\0')) return commitTreeWithGit(gitDir, { ...p, message, now });
  return writeLooseObject(gitDir, 'commit', Buffer.from(`${lines.join('\n')}\n\n${message}`, 'utf8'));
}

/** A name or email git would change (it trims whitespace and some punctuation at either end). */
function untidy(who: Person): boolean {
  return [who.name, who.email].some((v) => CRUD.test(v[0] ?? '') || CRUD.test(v[v.length - 1] ?? ''));
}
const CRUD = /[\s.,:;<>"'\\]/;

async function commitTreeWithGit(gitDir: string, p: { tree: string; parents: readonly string[]; message: string; author: Person; committer: Person; now: Date }): Promise<string> {
  const env = { ...identEnv('AUTHOR', p.author, p.now), ...identEnv('COMMITTER', p.committer, p.now) };
  const args = ['commit-tree', p.tree, ...p.parents.flatMap((sha) => ['-p', sha])];
  const { stdout } = await runGit(args, { gitDir, env, input: p.message });
  return stdout.toString('utf8').trim();
}

function identEnv(kind: 'AUTHOR' | 'COMMITTER', who: Person, now: Date): Record<string, string> {
  const seconds = Math.floor((who.date ?? now).getTime() / 1000);
  return {
    [`GIT_${kind}_NAME`]: who.name,
    [`GIT_${kind}_EMAIL`]: who.email,
    [`GIT_${kind}_DATE`]: `@${seconds} +0000`,
  };
}

/** The id git gives an object of `type` with `content`: sha1("<type> <size>\0" + content). */
export function objectId(type: 'commit' | 'tree' | 'blob', content: Buffer): string {
  return createHash('sha1').update(`${type} ${content.length}\0`).update(content).digest('hex');
}

/**
 * Stores an object as git does a loose one; returns its id. An object already there is left as it is. A blob
 * written so is what `git hash-object -w --stdin` writes (no path, so no filters). The file operations are
 * synchronous: an object is a few hundred bytes, and four trips through libuv's thread pool (shared with every
 * other file operation of the sandbox) cost a revert or a merge milliseconds each under load, while writing it
 * directly holds the thread for a fraction of one.
 */
export async function writeLooseObject(gitDir: string, type: 'commit' | 'tree' | 'blob', content: Buffer): Promise<string> {
  const raw = Buffer.concat([Buffer.from(`${type} ${content.length}\0`, 'latin1'), content]);
  const sha = objectId(type, content);
  const dir = path.join(gitDir, 'objects', sha.slice(0, 2));
  const file = path.join(dir, sha.slice(2));
  if (existsSync(file)) return sha;
  mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `tmp_obj_${process.pid}_${randomBytes(6).toString('hex')}`);
  writeFileSync(temp, deflateSync(raw), { mode: 0o444 });
  renameSync(temp, file);
  return sha;
}

/**
 * Writes the tree of `baseTree` (or an empty tree) with `files` applied (content, or null to
 * delete) through a throw-away index file. Returns the new tree sha. Commits use tree-writer.ts
 * (no index, fewer processes); this is kept as that module's reference in its test.
 */
export async function writeTree(gitDir: string, baseTree: string | null, files: Record<string, string | Buffer | null>): Promise<string> {
  const entries = Object.entries(files);
  for (const [file] of entries) assertRepoPath('file path', file);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'unwind-index-'));
  const env = { GIT_INDEX_FILE: path.join(dir, 'index') };
  try {
    await runGit(baseTree ? ['read-tree', baseTree] : ['read-tree', '--empty'], { gitDir, env });
    const lines: string[] = [];
    for (const [file, content] of entries) {
      if (content === null) {
        lines.push(`0 ${'0'.repeat(40)}\t${file}`);
      } else {
        const { stdout } = await runGit(['hash-object', '-w', '--stdin'], { gitDir, input: content });
        lines.push(`100644 ${stdout.toString('utf8').trim()}\t${file}`);
      }
    }
    if (lines.length > 0) {
      await runGit(['update-index', '-z', '--index-info'], { gitDir, env, input: lines.join('\0') + '\0' });
    }
    const { stdout } = await runGit(['write-tree'], { gitDir, env });
    return stdout.toString('utf8').trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
