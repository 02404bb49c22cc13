import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildMergeCommit } from './build-merge-commit.ts';
import { GitInputError } from './errors.ts';
import type { NewCommit } from './fast-import-stream.ts';
import { importCommits } from './import-commits.ts';
import { listChangedFiles } from './list-changed-files.ts';
import { mergeTrees } from './merge-trees.ts';
import { compareCommits, isAncestorCommit, type Comparison } from './compare-commits.ts';
import { readCommit, treeOf } from './read-objects.ts';
import { readPathEntry, type PathEntry } from './read-path-entry.ts';
import { listTree, readBlob } from './read-tree-entries.ts';
import type { DirEntry } from './read-tree-entries.ts';
import { exactRef, removeRef, resolveCommit, resolveRef, setRef } from './ref-ops.ts';
import { withRepoLock } from './repo-lock.ts';
import { runGit } from './run-git.ts';
import type { ChangedFile, CommitData, MergeMethod, MergeResult, MergeTreeResult, Person } from './types.ts';
import { assertRefName, assertSha, branchRef } from './validate-input.ts';
import { writeTreeWithoutIndex } from './tree-writer.ts';
import { commitTree } from './write-commit.ts';

export type { NewCommit } from './fast-import-stream.ts';
export type { DirEntry } from './read-tree-entries.ts';
export type { PathEntry } from './read-path-entry.ts';
export type { ChangedFile, CommitData, MergeMethod, MergeResult, MergeTreeResult, Person } from './types.ts';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
export const BASE_MODIFIED = 'Base branch was modified. Review and try the merge again.';
const TEST_MERGE_IDENTITY: Person = { name: 'GitHub', email: 'noreply@github.com' };

/**
 * Plumbing on one bare repository: every call is `git` with an argv array and a filtered env;
 * every ref write holds the repository's lock (shared with the smart-HTTP push handler).
 */
export class BareRepo {
  readonly path: string;

  private constructor(repoPath: string) {
    this.path = path.resolve(repoPath);
  }

  /** `git init --bare` with HEAD pointing at `defaultBranch` (parent directories are created). */
  static async init(repoPath: string, defaultBranch: string): Promise<BareRepo> {
    const head = branchRef(defaultBranch);
    await mkdir(repoPath, { recursive: true });
    const repo = new BareRepo(repoPath);
    await runGit(['init', '--quiet', '--bare', repo.path], { gitDir: repo.path });
    await runGit(['symbolic-ref', 'HEAD', head], { gitDir: repo.path });
    return repo;
  }

  static open(repoPath: string): BareRepo {
    if (!existsSync(path.join(repoPath, 'HEAD'))) throw new GitInputError('repository path', repoPath, 'not a bare git repository');
    return new BareRepo(repoPath);
  }

  private git(args: readonly string[], opts: { input?: string; okCodes?: readonly number[] } = {}) {
    return runGit(args, { gitDir: this.path, ...opts });
  }

  private async mustResolve(rev: string): Promise<string> {
    const sha = await resolveCommit(this.path, rev);
    if (sha === null) throw new GitInputError('revision', rev, `no such commit in ${this.path}`);
    return sha;
  }

  /** Creates a commit with file changes (null deletes); parents default to the branch head. Returns its sha. */
  async commitFiles(p: { branch: string | null; files: Record<string, string | Buffer | null>; message: string; author: Person; committer?: Person; parents?: string[]; now?: Date }): Promise<string> {
    const ref = p.branch === null ? null : branchRef(p.branch);
    return withRepoLock(this.path, async () => {
      const current = ref === null ? null : await resolveRef(this.path, ref);
      const parents = p.parents ? await Promise.all(p.parents.map((r) => this.mustResolve(r))) : current ? [current] : [];
      const baseTree = parents.length > 0 ? await treeOf(this.path, parents[0]) : null;
      const tree = await writeTreeWithoutIndex(this.path, baseTree, p.files);
      const sha = await commitTree(this.path, { tree, parents, message: p.message, author: p.author, committer: p.committer ?? p.author, now: p.now });
      if (ref !== null && !(await setRef(this.path, ref, sha, current))) {
        throw new GitInputError('branch', ref, 'moved while the commit was being written');
      }
      return sha;
    });
  }

  /**
   * Appends a linear chain of commits to `branch` in one `git fast-import` run (about 100× faster
   * than `commitFiles` per commit; for seeding big repos). Compare-and-swap on the branch. Returns
   * the new shas, oldest first.
   */
  async appendCommits(p: { branch: string; commits: readonly NewCommit[]; now?: Date }): Promise<string[]> {
    const ref = branchRef(p.branch);
    if (p.commits.length === 0) return [];
    return withRepoLock(this.path, () => importCommits(this.path, ref, p.commits, p.now ?? new Date()));
  }

  /** Object counts and on-disk size (`git count-objects -v`), for benchmarks. */
  async stats(): Promise<{ looseObjects: number; packedObjects: number; packs: number; sizeKiB: number }> {
    const { stdout } = await this.git(['count-objects', '-v']);
    const v = Object.fromEntries(stdout.toString('utf8').split('\n').filter(Boolean).map((l) => l.split(': ')).map(([k, n]) => [k, Number(n)]));
    return { looseObjects: v.count ?? 0, packedObjects: v['in-pack'] ?? 0, packs: v.packs ?? 0, sizeKiB: (v.size ?? 0) + (v['size-pack'] ?? 0) };
  }

  /** The commit a revision names, or null. */
  resolve(rev: string): Promise<string | null> {
    return resolveCommit(this.path, rev);
  }

  /** Full ref name → sha, optionally only refs starting with `prefix`. */
  async listRefs(prefix?: string): Promise<Map<string, string>> {
    const { stdout } = await this.git(['for-each-ref', '--format=%(objectname) %(refname)']);
    const refs = new Map<string, string>();
    for (const line of stdout.toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space === -1) continue;
      const ref = line.slice(space + 1);
      if (prefix === undefined || ref.startsWith(prefix)) refs.set(ref, line.slice(0, space));
    }
    return refs;
  }

  /** The value of the ref named exactly `ref` (no DWIM), or null: `listRefs(ref).get(ref)` without listing. */
  refValue(ref: string): Promise<string | null> {
    return exactRef(this.path, ref);
  }

  /** Sets `ref`; with `oldSha` it is a compare-and-swap (null = must not exist). False when the CAS fails. */
  async updateRef(ref: string, newSha: string, oldSha?: string | null): Promise<boolean> {
    return withRepoLock(this.path, () => setRef(this.path, ref, newSha, oldSha));
  }

  /** Deletes `ref`; false when it does not exist. */
  async deleteRef(ref: string): Promise<boolean> {
    return withRepoLock(this.path, () => removeRef(this.path, ref));
  }

  async readFile(rev: string, filePath: string): Promise<{ content: Buffer; blobSha: string; size: number } | null> {
    const commit = await resolveCommit(this.path, rev);
    return commit === null ? null : readBlob(this.path, commit, filePath);
  }

  /** Entries of a directory ('' = root) at `rev`, or null if it is not a directory there. */
  async listDir(rev: string, dirPath: string): Promise<DirEntry[] | null> {
    const commit = await resolveCommit(this.path, rev);
    return commit === null ? null : listTree(this.path, commit, dirPath);
  }

  /** What `filePath` is at the commit `sha` (file, directory or nothing) and whether a parent of it is a file. */
  pathEntry(sha: string, filePath: string): Promise<PathEntry> {
    return readPathEntry(this.path, assertSha('commit', sha), filePath);
  }

  async getCommit(rev: string): Promise<CommitData | null> {
    const sha = await resolveCommit(this.path, rev);
    if (sha === null) return null;
    return readCommit(this.path, sha);
  }

  /** Files changed by `rev` versus its first parent (or the empty tree for a root), or versus `baseRev`. */
  async changedFiles(rev: string, baseRev?: string): Promise<ChangedFile[]> {
    const head = await this.mustResolve(rev);
    let base: string;
    if (baseRev !== undefined) base = await this.mustResolve(baseRev);
    else base = (await this.getCommit(head))?.parents[0] ?? EMPTY_TREE;
    return listChangedFiles(this.path, base, head);
  }

  /** GitHub's compare: ahead/behind counts, merge base, and base..head commits oldest first. */
  async compare(baseRev: string, headRev: string): Promise<Comparison> {
    const [base, head] = await Promise.all([this.mustResolve(baseRev), this.mustResolve(headRev)]);
    const cmp = await compareCommits(this.path, base, head);
    return { ...cmp, commits: [...cmp.commits] };
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    const [a, d] = await Promise.all([this.mustResolve(ancestor), this.mustResolve(descendant)]);
    return isAncestorCommit(this.path, a, d);
  }

  /** Commit shas reachable from `rev`, newest first. */
  async log(rev: string, max?: number): Promise<string[]> {
    const head = await this.mustResolve(rev);
    const args = ['rev-list', head];
    if (max !== undefined) args.splice(1, 0, `--max-count=${Math.max(0, Math.floor(max))}`);
    const { stdout } = await this.git(args);
    return stdout.toString('utf8').split('\n').filter(Boolean);
  }

  async mergeTree(baseRev: string, headRev: string): Promise<MergeTreeResult> {
    const [base, head] = await Promise.all([this.mustResolve(baseRev), this.mustResolve(headRev)]);
    return mergeTrees(this.path, base, head);
  }

  /** A PR merge onto `baseRef`, compare-and-swap against `expectedBaseSha`. */
  async merge(p: { method: MergeMethod; baseRef: string; expectedBaseSha: string; headSha: string; title: string; message: string; committer: Person; author?: Person; now?: Date }): Promise<MergeResult> {
    const baseRef = assertRefName('base ref', p.baseRef);
    const expected = assertSha('expected base sha', p.expectedBaseSha);
    return withRepoLock(this.path, async () => {
      if ((await resolveRef(this.path, baseRef)) !== expected) return { ok: false, reason: 'base_modified', message: BASE_MODIFIED };
      const head = await this.mustResolve(p.headSha);
      const built = await buildMergeCommit(this.path, { ...p, base: expected, head });
      if (!built.ok) return built;
      if (!(await setRef(this.path, baseRef, built.sha, expected))) return { ok: false, reason: 'base_modified', message: BASE_MODIFIED };
      return { ok: true, sha: built.sha };
    });
  }

  /** Stores the test merge commit of head into base at `ref` (refs/pull/N/merge); null (ref removed) on conflict. */
  async createTestMerge(baseSha: string, headSha: string, ref: string, now?: Date): Promise<string | null> {
    assertRefName('ref', ref);
    return withRepoLock(this.path, async () => {
      const [base, head] = [await this.mustResolve(baseSha), await this.mustResolve(headSha)];
      const built = await buildMergeCommit(this.path, {
        method: 'merge', base, head, title: `Merge ${head} into ${base}`, message: '',
        committer: TEST_MERGE_IDENTITY, author: TEST_MERGE_IDENTITY, now,
      });
      if (!built.ok) {
        await removeRef(this.path, ref);
        return null;
      }
      await setRef(this.path, ref, built.sha);
      return built.sha;
    });
  }
}
