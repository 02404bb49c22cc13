/**
 * The GitHub port: everything the domain (config loading, ledger, execution, app) needs from GitHub.
 * The domain never imports Octokit; `octokit-adapter.ts` implements this port over Octokit and
 * `test/support/fake-github.ts`-style in-memory fakes implement it for unit tests.
 *
 * Conventions: methods return `null` for "not found" where absence is a normal answer; every other
 * failure throws a `GitHubError` (see errors.ts) carrying status, method, route and GitHub's message.
 * List methods always paginate to the end.
 */

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface RepoInfo extends RepoRef {
  readonly defaultBranch: string;
  /** Private (or internal) repositories are readable only by those granted access. */
  readonly private: boolean;
  readonly cloneUrl: string;
  readonly htmlUrl: string;
  readonly allowMergeCommit: boolean;
  readonly allowSquashMerge: boolean;
  readonly allowRebaseMerge: boolean;
}

export interface FileContent {
  readonly path: string;
  readonly text: string;
  /** Blob SHA of the file. */
  readonly blobSha: string;
}

export interface UserRef {
  readonly login: string;
  readonly type: 'User' | 'Bot' | 'Organization';
}

export interface PullInfo extends RepoRef {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly mergedAt: string | null;
  readonly mergeCommitSha: string | null;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly user: UserRef;
  readonly htmlUrl: string;
  /** null while GitHub computes it. */
  readonly mergeable: boolean | null;
  readonly mergeableState: string;
  /** GraphQL global id (REST `node_id`), where the source carries it. */
  readonly nodeId?: string;
  /** Label names, where the source carries them (REST's PR objects do; then no read of the issue is needed). */
  readonly labels?: readonly string[];
}

/**
 * GitHub's "Revert" button (GraphQL `revertPullRequest`): GitHub creates the branch `revert-<n>-<head>` with the
 * revert commit and opens the PR. 'refused' with GitHub's message when it will not (not merged, does not apply
 * cleanly, not permitted).
 */
export type RevertPullOutcome =
  | { readonly kind: 'opened'; readonly pull: PullInfo }
  | { readonly kind: 'refused'; readonly type: string | null; readonly message: string };

/**
 * GitHub's merge over GraphQL (`mergePullRequest`): 'merged' with the merge commit and, per path asked for, the
 * blob there (null: no file; `files` null when too many paths were asked for); else 'refused' with GitHub's
 * message, which the caller settles with REST's merge.
 */
export type GraphqlMergeOutcome =
  | { readonly kind: 'merged'; readonly sha: string; readonly files: Readonly<Record<string, string | null>> | null }
  | { readonly kind: 'refused'; readonly message: string };

export interface CommitInfo {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly authorLogin: string | null;
  readonly committedAt: string;
  /** Files changed against the first parent. */
  readonly files: readonly string[];
}

export type CheckState = 'pending' | 'success' | 'failure';

export interface CheckResult {
  /** Check-run name or status context. */
  readonly name: string;
  readonly state: CheckState;
  readonly source: 'check_run' | 'status';
  readonly url: string | null;
  /** GitHub's id of the check run or status object (a later run or status has a larger one), where known. */
  readonly id?: number;
}

export interface RequiredChecks {
  readonly strict: boolean;
  readonly contexts: readonly string[];
}

export interface IssueInfo extends RepoRef {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
  readonly labels: readonly string[];
  readonly htmlUrl: string;
  readonly isPullRequest: boolean;
  /** Who opened it. */
  readonly user: UserRef;
  /** When the issue was last changed (GitHub's updated_at), when known. */
  readonly updatedAt?: string;
}

export interface CommentInfo {
  readonly id: number;
  readonly body: string;
  readonly user: UserRef;
  readonly createdAt: string;
  readonly htmlUrl: string;
}

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export type MergeOutcome =
  | { readonly kind: 'merged'; readonly sha: string }
  /** 405: not mergeable, blocked by protection, method not allowed, or base modified (retryable). */
  | { readonly kind: 'not_mergeable'; readonly message: string; readonly retryable: boolean }
  /** 409: head changed since `sha`. */
  | { readonly kind: 'head_modified'; readonly message: string };

export type Permission = 'admin' | 'write' | 'read' | 'none';

export interface WorkflowRunInfo {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly headSha: string;
  readonly htmlUrl: string;
  readonly createdAt: string;
}

/** A file read from a branch, conditionally: `not_modified` when it still has the ETag given. */
export type BranchFileRead =
  | { readonly kind: 'not_modified' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly text: string; readonly blobSha: string; readonly etag: string | null };

/** A file of a repository's default branch, pinned to the commit it was read at. */
export type DefaultBranchFileRead =
  | { readonly kind: 'no_repo' }
  /** Nothing at the path (`commitSha` is empty for a repository without commits). */
  | { readonly kind: 'missing'; readonly commitSha: string }
  /** A directory where the file should be: an error, never "no file, use the defaults". */
  | { readonly kind: 'directory'; readonly commitSha: string }
  | { readonly kind: 'file'; readonly commitSha: string; readonly blobSha: string; readonly text: string };

export interface GitHubPort {
  getRepo(ref: RepoRef): Promise<RepoInfo | null>;
  /** File text at `ref` (default: the default branch), or null if absent. */
  getFile(ref: RepoRef, path: string, gitRef?: string): Promise<FileContent | null>;
  /** File bytes at `ref` (default: the default branch), or null if absent: for binary files such as OPA bundles (up to 1 MB, GitHub's contents limit). */
  getFileBytes(ref: RepoRef, path: string, gitRef?: string): Promise<Uint8Array | null>;
  /** Entries of a directory at `ref` (default: the default branch), or null if absent. */
  listDirectory(ref: RepoRef, path: string, gitRef?: string): Promise<Array<{ name: string; path: string; type: 'file' | 'dir' }> | null>;
  getBranchSha(ref: RepoRef, branch: string): Promise<string | null>;
  /** Creates `branch` at `sha`; 'exists' when it already does. */
  createBranch(ref: RepoRef, branch: string, sha: string): Promise<'created' | 'exists'>;
  /** A file of `branch` (absent when the branch or the file is): with `etag`, GitHub's conditional GET (a 304 costs no rate limit). */
  readBranchFile(ref: RepoRef, branch: string, path: string, etag?: string): Promise<BranchFileRead>;
  /**
   * Writes a file on `branch` as one commit, compare-and-swap: `sha` is the blob the caller read
   * (null: the file must not exist yet). 'conflict' when the file changed since (GitHub's 409/422).
   */
  writeBranchFile(ref: RepoRef, p: { branch: string; path: string; text: string; message: string; sha: string | null }): Promise<'written' | 'conflict'>;
  deleteBranch(ref: RepoRef, branch: string): Promise<void>;

  getCommit(ref: RepoRef, sha: string): Promise<CommitInfo | null>;
  /** PRs associated with a commit (the merged PR that introduced it, when on the default branch). */
  listPullsForCommit(ref: RepoRef, sha: string): Promise<PullInfo[]>;

  getPull(ref: RepoRef, number: number): Promise<PullInfo | null>;
  listPulls(ref: RepoRef, query: { head?: string; base?: string; state?: 'open' | 'closed' | 'all' }): Promise<PullInfo[]>;
  createPull(ref: RepoRef, input: { title: string; head: string; base: string; body: string }): Promise<PullInfo>;
  updatePull(ref: RepoRef, number: number, input: { state?: 'open' | 'closed'; title?: string; body?: string }): Promise<PullInfo>;
  mergePull(ref: RepoRef, number: number, input: { method: MergeMethod; sha?: string; title?: string; message?: string }): Promise<MergeOutcome>;
  requestReviewers(ref: RepoRef, number: number, reviewers: { users?: string[]; teams?: string[] }): Promise<void>;
  /** GitHub's own revert of a merged PR (see RevertPullOutcome); absent where the port cannot do it (git reverts then). */
  revertPullRequest?(ref: RepoRef, input: { pullNodeId: string; title: string; body: string; draft?: boolean }): Promise<RevertPullOutcome>;
  /**
   * A file of the repository's default branch with the commit it was read at, in one request (GraphQL; REST
   * takes three). Null when this way cannot answer exactly (a binary or very large file): the caller reads it
   * with REST. Optional: without it, configuration is read with REST.
   */
  readDefaultBranchFile?(ref: RepoRef, path: string): Promise<DefaultBranchFileRead | null>;
  /**
   * Merges with GraphQL and reads the merge commit's blobs at `paths` in the same answer (see GraphqlMergeOutcome).
   * `sha`: the head the merge expects. Optional: without it, merges go through `mergePull`.
   */
  mergePullRequest?(ref: RepoRef, input: { pullNodeId: string; method: MergeMethod; sha: string; title: string; message: string; paths: readonly string[] }): Promise<GraphqlMergeOutcome>;

  /** Latest check runs and commit statuses for a ref, combined. */
  listChecks(ref: RepoRef, gitRef: string): Promise<CheckResult[]>;
  /** Required status checks of a protected branch, or null when it has none. */
  getRequiredChecks(ref: RepoRef, branch: string): Promise<RequiredChecks | null>;
  listWorkflowRuns(ref: RepoRef, query: { workflow?: string; headSha?: string; branch?: string; event?: string }): Promise<WorkflowRunInfo[]>;
  /** Cancels a workflow run that has not completed (a run that already completed is left as it is). */
  cancelWorkflowRun(ref: RepoRef, runId: number): Promise<void>;
  dispatchWorkflow(ref: RepoRef, workflow: string, gitRef: string, inputs: Record<string, string>): Promise<void>;

  getPermission(ref: RepoRef, login: string): Promise<Permission>;
  isTeamMember(org: string, teamSlug: string, login: string): Promise<boolean>;

  getIssue(ref: RepoRef, number: number): Promise<IssueInfo | null>;
  listIssues(ref: RepoRef, query: { labels?: string[]; state?: 'open' | 'closed' | 'all' }): Promise<IssueInfo[]>;
  createIssue(ref: RepoRef, input: { title: string; body: string; labels?: string[] }): Promise<IssueInfo>;
  updateIssue(ref: RepoRef, number: number, input: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<IssueInfo>;
  addLabels(ref: RepoRef, number: number, labels: string[]): Promise<void>;
  listComments(ref: RepoRef, issueNumber: number): Promise<CommentInfo[]>;
  createComment(ref: RepoRef, issueNumber: number, body: string): Promise<CommentInfo>;
  updateComment(ref: RepoRef, commentId: number, body: string): Promise<CommentInfo>;
  addReaction(ref: RepoRef, commentId: number, content: 'eyes' | '+1' | '-1' | 'rocket' | 'confused'): Promise<void>;
}
