import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GitInputError } from './errors.ts';
import { runGit } from './run-git.ts';
import type { Person } from './types.ts';
import { assertRepoPath } from './validate-input.ts';

function identEnv(kind: 'AUTHOR' | 'COMMITTER', who: Person, now: Date): Record<string, string> {
  if (!who.name.trim() || /[<>\n]/.test(who.name) || /[<>\n]/.test(who.email)) {
    throw new GitInputError(kind.toLowerCase(), `${who.name} <${who.email}>`, 'name must be non-empty; no "<", ">" or newlines');
  }
  const seconds = Math.floor((who.date ?? now).getTime() / 1000);
  return {
    [`GIT_${kind}_NAME`]: who.name,
    [`GIT_${kind}_EMAIL`]: who.email,
    [`GIT_${kind}_DATE`]: `@${seconds} +0000`,
  };
}

/** `git commit-tree` with explicit identities; the message is passed on stdin, never through argv. */
export async function commitTree(
  gitDir: string,
  p: { tree: string; parents: readonly string[]; message: string; author: Person; committer: Person; now?: Date },
): Promise<string> {
  const now = p.now ?? new Date();
  const env = { ...identEnv('AUTHOR', p.author, now), ...identEnv('COMMITTER', p.committer, now) };
  const args = ['commit-tree', p.tree, ...p.parents.flatMap((sha) => ['-p', sha])];
  const message = p.message.endsWith('\n') ? p.message : `${p.message}\n`;
  const { stdout } = await runGit(args, { gitDir, env, input: message });
  return stdout.toString('utf8').trim();
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
