/**
 * The files of a commit from one `git diff` (raw + numstat + patch under -z) must be what the two separate
 * diffs (raw + numstat under -z, then the patch without -z) gave: renames, binary files, deletions, mode and
 * type changes, names git quotes, a last line without a newline.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { gitEnv } from '../../../src/sandbox/git/git-env.ts';
import { listChangedFiles } from '../../../src/sandbox/git/list-changed-files.ts';
import { closeObjectReaders } from '../../../src/sandbox/git/object-reader.ts';
import { closeRefWriters } from '../../../src/sandbox/git/ref-writer.ts';

const who = { name: 'Ada', email: 'ada@example.com' };
let dir: string;
let repo: BareRepo;

function git(args: string[], input?: string | Buffer): string {
  return execFileSync('git', [`--git-dir=${repo.path}`, ...args], { env: gitEnv(), input }).toString('utf8');
}

/** The former implementation, kept as the oracle: two diffs, then the same field rules. */
function twoDiffs(base: string, head: string): Array<Record<string, unknown>> {
  const common = ['-M', '--no-color', '--no-ext-diff', '--no-textconv', base, head];
  const fields = git(['diff', '--raw', '--numstat', '-z', ...common, '--']).split('\0');
  if (fields[fields.length - 1] === '') fields.pop();
  const raw: Array<{ status: string; filename: string; previousFilename?: string }> = [];
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
  const stats: Array<{ additions: number; deletions: number }> = [];
  for (let k = i; k < fields.length; k++) {
    const [added, deleted, name] = fields[k].split('\t');
    if (added === undefined || deleted === undefined) continue;
    if (name === '') k += 2;
    stats.push({ additions: added === '-' ? 0 : Number(added), deletions: deleted === '-' ? 0 : Number(deleted) });
  }
  const patches = git(['diff', '--patch', '--full-index', ...common, '--'])
    .split(/^diff --git /m)
    .slice(1)
    .map((section) => {
      const at = section.search(/^@@/m);
      return at === -1 ? undefined : section.slice(at).replace(/\n$/, '');
    });
  const STATUS: Record<string, string> = { A: 'added', M: 'modified', D: 'removed', R: 'renamed', T: 'modified', C: 'added' };
  return raw.map((entry, n) => {
    const { additions, deletions } = stats[n] ?? { additions: 0, deletions: 0 };
    const file: Record<string, unknown> = { filename: entry.filename, status: STATUS[entry.status[0]] ?? 'modified', additions, deletions, changes: additions + deletions };
    if (entry.status.startsWith('R')) file.previousFilename = entry.previousFilename;
    if (patches[n] !== undefined) file.patch = patches[n];
    return file;
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unwind-changed-files-'));
  repo = await BareRepo.init(join(dir, 'r.git'), 'main');
});

afterAll(() => {
  closeObjectReaders(dir);
  closeRefWriters(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe('listChangedFiles', () => {
  it('answers what the two separate diffs answered, commit after commit', async () => {
    const long = Array.from({ length: 60 }, (_, n) => `line ${n}\n`).join('');
    const steps: Array<Record<string, string | Buffer | null>> = [
      { 'a.txt': long, 'b.bin': Buffer.from([0, 1, 2, 3]), 'we ird "q" \\ name.txt': 'x\n', 'ünïcode/ö.md': 'ö\n', 'gone.txt': 'bye\n' },
      { 'a.txt': `${long}more\n`, 'b.bin': Buffer.from([0, 1, 2, 4]), 'we ird "q" \\ name.txt': 'y', 'gone.txt': null },
      { 'a.txt': null, 'renamed/a.txt': `${long}more\n`, 'new.txt': 'diff --git a/x b/x\n@@ -1 +1 @@\n' },
      { 'renamed/a.txt': `${long.replace('line 3\n', 'LINE 3\n')}more\n`, 'empty.txt': '' },
    ];
    const shas: string[] = [];
    for (const [n, files] of steps.entries()) shas.push(await repo.commitFiles({ branch: 'main', files, message: `step ${n}`, author: who }));
    // a mode change and a type change (file -> symlink) made with git itself
    const tree = git(['ls-tree', shas[shas.length - 1]]).replace(/^100644 (blob \S+\tnew\.txt)$/m, '100755 $1');
    const link = git(['hash-object', '-w', '--stdin'], 'a.txt').trim();
    const withLink = tree.replace(/^100644 blob \S+\tempty\.txt$/m, `120000 blob ${link}\tempty.txt`);
    const newTree = git(['mktree'], withLink).trim();
    shas.push(git(['-c', 'user.name=A', '-c', 'user.email=a@example.com', 'commit-tree', newTree, '-p', shas[shas.length - 1], '-m', 'modes']).trim());
    const emptyTree = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
    const pairs: Array<[string, string]> = [[emptyTree, shas[0]], [shas[0], shas[0]], [shas[shas.length - 1], shas[0]]];
    for (let n = 1; n < shas.length; n++) pairs.push([shas[n - 1], shas[n]]);
    for (const [base, head] of pairs) {
      expect(await listChangedFiles(repo.path, base, head), `${base}..${head}`).toEqual(twoDiffs(base, head));
    }
    const renamed = await listChangedFiles(repo.path, shas[1], shas[2]);
    expect(renamed.find((f) => f.filename === 'renamed/a.txt')).toMatchObject({ status: 'renamed', previousFilename: 'a.txt' });
  });
});
