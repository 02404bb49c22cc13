export interface Person {
  name: string;
  email: string;
  date?: Date;
}

export interface CommitData {
  sha: string;
  tree: string;
  parents: string[];
  author: Required<Person>;
  committer: Required<Person>;
  /** the full message without its trailing newline */
  message: string;
}

export interface ChangedFile {
  filename: string;
  status: 'added' | 'modified' | 'removed' | 'renamed';
  previousFilename?: string;
  additions: number;
  deletions: number;
  changes: number;
  /** unified diff hunks (from the first `@@`), absent for binary files and pure renames */
  patch?: string;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export type MergeResult =
  | { ok: true; sha: string }
  | { ok: false; reason: 'conflict' | 'base_modified' | 'not_rebaseable'; message: string };

export type MergeTreeResult = { clean: true; tree: string } | { clean: false; conflicts: string[] };
