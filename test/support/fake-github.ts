/**
 * An in-memory GitHubPort for unit tests: repos with branches and commits (each commit holds a full
 * tree), pull requests, issues, comments, checks, workflow runs, permissions and team membership.
 * Simple by design: no pagination limits, no latency. Every port call is recorded in `calls`.
 */
import { createHash } from 'node:crypto';
import type { BranchFileRead,
  CheckResult, CommentInfo, CommitInfo, FileContent, GitHubPort, IssueInfo, MergeMethod, MergeOutcome, Permission,
  PullInfo, RepoInfo, RepoRef, RequiredChecks, RevertPullOutcome, UserRef, WorkflowRunInfo,
} from '../../src/github/port.ts';

interface FakeCommit {
  sha: string;
  parents: string[];
  message: string;
  author: string | null;
  at: string;
  tree: Map<string, string>;
  files: string[];
}

interface FakeRepo {
  info: RepoInfo;
  branches: Map<string, string>;
  commits: Map<string, FakeCommit>;
  pulls: Map<number, PullInfo>;
  issues: Map<number, IssueInfo>;
  comments: Map<number, CommentInfo[]>;
  checks: Map<string, CheckResult[]>;
  required: Map<string, RequiredChecks>;
  runs: WorkflowRunInfo[];
  dispatches: Array<{ workflow: string; ref: string; inputs: Record<string, string> }>;
  permissions: Map<string, Permission>;
  nextNumber: number;
}

const key = (ref: RepoRef) => `${ref.owner}/${ref.repo}`.toLowerCase();
const user = (login: string): UserRef => ({ login, type: login.endsWith('[bot]') ? 'Bot' : 'User' });

export class FakeGitHub implements GitHubPort {
  readonly repos = new Map<string, FakeRepo>();
  readonly teams = new Map<string, Set<string>>();
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  private nextCommentId = 1;
  private clock = Date.parse('2025-01-01T00:00:00Z');

  // ---- test setup helpers ----

  addRepo(fullName: string, opts: { defaultBranch?: string; files?: Record<string, string> } = {}): RepoRef {
    const [owner, repo] = fullName.split('/');
    const ref = { owner, repo };
    const defaultBranch = opts.defaultBranch ?? 'main';
    this.repos.set(key(ref), {
      info: {
        owner, repo, defaultBranch, private: false,
        cloneUrl: `https://fake.test/${owner}/${repo}.git`, htmlUrl: `https://fake.test/${owner}/${repo}`,
        allowMergeCommit: true, allowSquashMerge: true, allowRebaseMerge: true,
      },
      branches: new Map(), commits: new Map(), pulls: new Map(), issues: new Map(), comments: new Map(),
      checks: new Map(), required: new Map(), runs: [], dispatches: [], permissions: new Map(), nextNumber: 1,
    });
    if (opts.files) this.commit(fullName, { files: opts.files, message: 'initial' });
    return ref;
  }

  /** Commit file changes (null deletes) on a branch (default: the default branch); returns the SHA. */
  commit(fullName: string, c: { files: Record<string, string | null>; message?: string; branch?: string; parents?: string[]; author?: string; at?: string }): string {
    const r = this.repo(fullName);
    const branch = c.branch ?? r.info.defaultBranch;
    const head = r.branches.get(branch);
    const parents = c.parents ?? (head ? [head] : []);
    const tree = new Map(parents.length > 0 ? r.commits.get(parents[0])!.tree : []);
    for (const [path, text] of Object.entries(c.files)) {
      if (text === null) tree.delete(path);
      else tree.set(path, text);
    }
    const at = c.at ?? this.tick();
    const sha = createHash('sha1').update(`${fullName}\0${parents.join(',')}\0${c.message ?? ''}\0${at}\0${JSON.stringify([...tree])}\0${r.commits.size}`).digest('hex');
    r.commits.set(sha, { sha, parents, message: c.message ?? 'change', author: c.author ?? 'dev', at, tree, files: Object.keys(c.files).sort() });
    r.branches.set(branch, sha);
    return sha;
  }

  /** A PR merged into the default branch with these changes; `parents: 2` makes a merge commit. */
  mergedPull(fullName: string, p: { title?: string; body?: string; files: Record<string, string | null>; author?: string; mergedAt?: string; parents?: 1 | 2; number?: number }): PullInfo {
    const r = this.repo(fullName);
    const number = p.number ?? r.nextNumber;
    r.nextNumber = Math.max(r.nextNumber, number + 1);
    const base = r.branches.get(r.info.defaultBranch);
    const extraParent = p.parents === 2 && base ? [base, this.commit(fullName, { files: {}, branch: `pr-${number}`, parents: [base], message: 'work' })] : undefined;
    const sha = this.commit(fullName, { files: p.files, message: `${p.title ?? 'PR'} (#${number})`, author: p.author, at: p.mergedAt, parents: extraParent });
    const pull = this.pullInfo(r, number, { title: p.title ?? `PR ${number}`, body: p.body ?? '', merged: true, mergedAt: p.mergedAt ?? r.commits.get(sha)!.at, mergeCommitSha: sha, author: p.author ?? 'dev', state: 'closed' });
    r.pulls.set(number, pull);
    return pull;
  }

  openPull(fullName: string, p: { title?: string; body?: string; author?: string; number?: number; head?: string }): PullInfo {
    const r = this.repo(fullName);
    const number = p.number ?? r.nextNumber;
    r.nextNumber = Math.max(r.nextNumber, number + 1);
    const pull = this.pullInfo(r, number, { title: p.title ?? `PR ${number}`, body: p.body ?? '', merged: false, mergedAt: null, mergeCommitSha: null, author: p.author ?? 'dev', state: 'open', head: p.head });
    r.pulls.set(number, pull);
    return pull;
  }

  /**
   * GitHub's revert (port.revertPullRequest), off unless a test turns it on: a merged PR's changed files go back
   * to their content before it on `revert-<n>-<head>` (`-1`, … when taken), and a PR is opened from there.
   * Refused like GitHub: not merged, or a file changed again since (a conflict). `refuse` forces a refusal.
   * Pulls read with `getPull` then carry a node id (`fake:<owner>/<repo>#<n>`).
   */
  revertPullRequest?: GitHubPort['revertPullRequest'];
  enableRevertPullRequest(opts: { refuse?: (pull: PullInfo) => { type: string; message: string } | null } = {}): void {
    this.revertPullRequest = async (ref, input): Promise<RevertPullOutcome> => {
      this.log('revertPullRequest', ref, input);
      const refused = (type: string, message: string): RevertPullOutcome => ({ kind: 'refused', type, message });
      const m = /^fake:(.+)#(\d+)$/.exec(input.pullNodeId);
      const r = m ? this.repos.get(key(ref)) : undefined;
      const pull = m && r && m[1].toLowerCase() === key(ref) ? r.pulls.get(Number(m[2])) : undefined;
      if (!r || !pull) return refused('NOT_FOUND', `Could not resolve to a node with the global id of '${input.pullNodeId}'.`);
      const forced = opts.refuse?.(pull);
      if (forced) return refused(forced.type, forced.message);
      if (!pull.merged || !pull.mergeCommitSha) return refused('UNPROCESSABLE', `Pull request #${pull.number} has not been merged.`);
      const merge = r.commits.get(pull.mergeCommitSha)!;
      const before = merge.parents[0] ? r.commits.get(merge.parents[0])!.tree : new Map<string, string>();
      const tipSha = r.branches.get(r.info.defaultBranch)!;
      const tip = r.commits.get(tipSha)!;
      const files: Record<string, string | null> = {};
      for (const f of merge.files) {
        if (tip.tree.get(f) !== merge.tree.get(f)) return refused('UNPROCESSABLE', "Sorry, this pull request couldn't be reverted automatically.");
        files[f] = before.get(f) ?? null;
      }
      let branch = `revert-${pull.number}-${pull.headRef}`;
      for (let i = 1; r.branches.has(branch); i++) branch = `revert-${pull.number}-${pull.headRef}-${i}`;
      this.commit(key(ref), { files, branch, parents: [tipSha], message: `Revert "${pull.title}"`, author: 'unwind[bot]' });
      const number = r.nextNumber++;
      const opened = this.pullInfo(r, number, { title: input.title, body: input.body, merged: false, mergedAt: null, mergeCommitSha: null, author: 'unwind[bot]', state: 'open', head: branch });
      r.pulls.set(number, opened);
      return { kind: 'opened', pull: { ...opened, nodeId: `fake:${key(ref)}#${number}` } };
    };
  }

  setChecks(fullName: string, gitRef: string, checks: CheckResult[]): void {
    this.repo(fullName).checks.set(gitRef, checks);
  }

  setPermission(fullName: string, login: string, permission: Permission): void {
    this.repo(fullName).permissions.set(login.toLowerCase(), permission);
  }

  addTeamMember(org: string, team: string, login: string): void {
    const k = `${org}/${team}`.toLowerCase();
    this.teams.set(k, (this.teams.get(k) ?? new Set()).add(login.toLowerCase()));
  }

  // ---- GitHubPort ----

  async getRepo(ref: RepoRef): Promise<RepoInfo | null> {
    this.log('getRepo', ref);
    return this.repos.get(key(ref))?.info ?? null;
  }

  async getFile(ref: RepoRef, path: string, gitRef?: string): Promise<FileContent | null> {
    this.log('getFile', ref, path, gitRef);
    const r = this.repos.get(key(ref));
    if (!r) return null;
    const sha = this.resolve(r, gitRef ?? r.info.defaultBranch);
    const text = sha === null ? undefined : r.commits.get(sha)!.tree.get(path);
    if (text === undefined) return null;
    return { path, text, blobSha: createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex') };
  }

  async getFileBytes(ref: RepoRef, path: string, gitRef?: string): Promise<Uint8Array | null> {
    const file = await this.getFile(ref, path, gitRef);
    return file === null ? null : new Uint8Array(Buffer.from(file.text, 'utf8'));
  }

  async listDirectory(ref: RepoRef, path: string, gitRef?: string): Promise<Array<{ name: string; path: string; type: 'file' | 'dir' }> | null> {
    this.log('listDirectory', ref, path, gitRef);
    const r = this.repos.get(key(ref));
    if (!r) return null;
    const sha = this.resolve(r, gitRef ?? r.info.defaultBranch);
    if (sha === null) return null;
    const prefix = path.replace(/\/+$/, '') === '' ? '' : `${path.replace(/\/+$/, '')}/`;
    const entries = new Map<string, 'file' | 'dir'>();
    for (const file of r.commits.get(sha)!.tree.keys()) {
      if (!file.startsWith(prefix)) continue;
      const [name, ...rest] = file.slice(prefix.length).split('/');
      entries.set(name, rest.length > 0 ? 'dir' : (entries.get(name) ?? 'file'));
    }
    if (entries.size === 0) return null;
    return [...entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, type]) => ({ name, path: `${prefix}${name}`, type }));
  }

  async getBranchSha(ref: RepoRef, branch: string): Promise<string | null> {
    this.log('getBranchSha', ref, branch);
    return this.repos.get(key(ref))?.branches.get(branch) ?? null;
  }

  async createBranch(ref: RepoRef, branch: string, sha: string): Promise<'created' | 'exists'> {
    this.log('createBranch', ref, branch, sha);
    const r = this.repo(key(ref));
    if (r.branches.has(branch)) return 'exists';
    r.branches.set(branch, sha);
    return 'created';
  }

  async readBranchFile(ref: RepoRef, branch: string, path: string, etag?: string): Promise<BranchFileRead> {
    this.log('readBranchFile', ref, branch, path, etag);
    return this.branchFile(ref, branch, path, etag);
  }

  /** Synchronous, so that a write's check and commit are one atomic step, as GitHub's compare-and-swap is. */
  private branchFile(ref: RepoRef, branch: string, path: string, etag?: string): BranchFileRead {
    const r = this.repos.get(key(ref));
    const head = r?.branches.get(branch);
    const text = head ? r!.commits.get(head)!.tree.get(path) : undefined;
    if (text === undefined) return { kind: 'absent' };
    const blobSha = createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');
    // The fake's ETag is the blob: the same content answers "not modified", as GitHub's would.
    if (etag === `"${blobSha}"`) return { kind: 'not_modified' };
    return { kind: 'file', text, blobSha, etag: `"${blobSha}"` };
  }

  async writeBranchFile(ref: RepoRef, p: { branch: string; path: string; text: string; message: string; sha: string | null }): Promise<'written' | 'conflict'> {
    this.log('writeBranchFile', ref, p.branch, p.path, p.sha);
    const now = this.branchFile(ref, p.branch, p.path);
    const current = now.kind === 'file' ? now.blobSha : null;
    if (current !== p.sha) return 'conflict';
    this.commit(`${ref.owner}/${ref.repo}`, { files: { [p.path]: p.text }, message: p.message, branch: p.branch, author: 'unwind[bot]' });
    return 'written';
  }

  async deleteBranch(ref: RepoRef, branch: string): Promise<void> {
    this.log('deleteBranch', ref, branch);
    this.repo(key(ref)).branches.delete(branch);
  }

  async getCommit(ref: RepoRef, sha: string): Promise<CommitInfo | null> {
    this.log('getCommit', ref, sha);
    const r = this.repos.get(key(ref));
    const full = r ? this.resolve(r, sha) : null;
    const c = full ? r!.commits.get(full) : undefined;
    if (!c) return null;
    return { sha: c.sha, parents: [...c.parents], message: c.message, authorLogin: c.author, committedAt: c.at, files: [...c.files] };
  }

  async listPullsForCommit(ref: RepoRef, sha: string): Promise<PullInfo[]> {
    this.log('listPullsForCommit', ref, sha);
    const r = this.repos.get(key(ref));
    if (!r) return [];
    return [...r.pulls.values()].filter((p) => p.mergeCommitSha !== null && p.mergeCommitSha.startsWith(sha.toLowerCase()));
  }

  async getPull(ref: RepoRef, number: number): Promise<PullInfo | null> {
    this.log('getPull', ref, number);
    const pull = this.repos.get(key(ref))?.pulls.get(number) ?? null;
    // Node ids exist only once a test turned GitHub's revert on (other tests compare pulls as they were set up).
    return pull && this.revertPullRequest ? { ...pull, nodeId: `fake:${key(ref)}#${number}` } : pull;
  }

  async listPulls(ref: RepoRef, query: { head?: string; base?: string; state?: 'open' | 'closed' | 'all' }): Promise<PullInfo[]> {
    this.log('listPulls', ref, query);
    const r = this.repos.get(key(ref));
    if (!r) return [];
    const state = query.state ?? 'open';
    return [...r.pulls.values()]
      .filter((p) => state === 'all' || p.state === state)
      .filter((p) => query.base === undefined || p.baseRef === query.base)
      .filter((p) => query.head === undefined || p.headRef === query.head || `${p.owner}:${p.headRef}` === query.head)
      .sort((a, b) => b.number - a.number);
  }

  async createPull(ref: RepoRef, input: { title: string; head: string; base: string; body: string }): Promise<PullInfo> {
    this.log('createPull', ref, input);
    const r = this.repo(key(ref));
    const number = r.nextNumber++;
    const pull = this.pullInfo(r, number, { title: input.title, body: input.body, merged: false, mergedAt: null, mergeCommitSha: null, author: 'unwind[bot]', state: 'open', head: input.head, base: input.base });
    r.pulls.set(number, pull);
    return pull;
  }

  async updatePull(ref: RepoRef, number: number, input: { state?: 'open' | 'closed'; title?: string; body?: string }): Promise<PullInfo> {
    this.log('updatePull', ref, number, input);
    const r = this.repo(key(ref));
    const pull = { ...this.mustPull(r, number), ...input };
    r.pulls.set(number, pull);
    return pull;
  }

  async mergePull(ref: RepoRef, number: number, input: { method: MergeMethod; sha?: string; title?: string; message?: string }): Promise<MergeOutcome> {
    this.log('mergePull', ref, number, input);
    const r = this.repo(key(ref));
    const pull = this.mustPull(r, number);
    if (pull.merged || pull.state === 'closed') return { kind: 'not_mergeable', message: 'Pull Request is not mergeable', retryable: false };
    if (input.sha !== undefined && input.sha !== pull.headSha) return { kind: 'head_modified', message: 'Head branch was modified. Review and try the merge again.' };
    const headTree = r.commits.get(pull.headSha)?.tree ?? new Map<string, string>();
    const files: Record<string, string | null> = {};
    for (const [p, t] of headTree) files[p] = t;
    const sha = this.commit(`${ref.owner}/${ref.repo}`, { files, message: input.title ?? pull.title, branch: pull.baseRef });
    r.pulls.set(number, { ...pull, merged: true, state: 'closed', mergedAt: r.commits.get(sha)!.at, mergeCommitSha: sha });
    return { kind: 'merged', sha };
  }

  async requestReviewers(ref: RepoRef, number: number, reviewers: { users?: string[]; teams?: string[] }): Promise<void> {
    this.log('requestReviewers', ref, number, reviewers);
  }

  async listChecks(ref: RepoRef, gitRef: string): Promise<CheckResult[]> {
    this.log('listChecks', ref, gitRef);
    return [...(this.repos.get(key(ref))?.checks.get(gitRef) ?? [])];
  }

  async getRequiredChecks(ref: RepoRef, branch: string): Promise<RequiredChecks | null> {
    this.log('getRequiredChecks', ref, branch);
    return this.repos.get(key(ref))?.required.get(branch) ?? null;
  }

  async listWorkflowRuns(ref: RepoRef, query: { workflow?: string; headSha?: string; branch?: string; event?: string }): Promise<WorkflowRunInfo[]> {
    this.log('listWorkflowRuns', ref, query);
    return (this.repos.get(key(ref))?.runs ?? []).filter((w) => (query.workflow === undefined || w.name === query.workflow) && (query.headSha === undefined || w.headSha === query.headSha));
  }

  async cancelWorkflowRun(ref: RepoRef, runId: number): Promise<void> {
    this.log('cancelWorkflowRun', ref, runId);
    const runs = this.repo(key(ref)).runs;
    const i = runs.findIndex((r) => r.id === runId && r.status !== 'completed');
    if (i >= 0) runs[i] = { ...runs[i], status: 'completed', conclusion: 'cancelled' };
  }

  async dispatchWorkflow(ref: RepoRef, workflow: string, gitRef: string, inputs: Record<string, string>): Promise<void> {
    this.log('dispatchWorkflow', ref, workflow, gitRef, inputs);
    this.repo(key(ref)).dispatches.push({ workflow, ref: gitRef, inputs: { ...inputs } });
  }

  async getPermission(ref: RepoRef, login: string): Promise<Permission> {
    this.log('getPermission', ref, login);
    return this.repos.get(key(ref))?.permissions.get(login.toLowerCase()) ?? 'none';
  }

  async isTeamMember(org: string, teamSlug: string, login: string): Promise<boolean> {
    this.log('isTeamMember', org, teamSlug, login);
    return this.teams.get(`${org}/${teamSlug}`.toLowerCase())?.has(login.toLowerCase()) ?? false;
  }

  async getIssue(ref: RepoRef, number: number): Promise<IssueInfo | null> {
    this.log('getIssue', ref, number);
    const r = this.repos.get(key(ref));
    if (!r) return null;
    const issue = r.issues.get(number);
    if (issue) return issue;
    const pull = r.pulls.get(number);
    return pull ? { owner: pull.owner, repo: pull.repo, number, title: pull.title, body: pull.body, state: pull.state, labels: [], htmlUrl: pull.htmlUrl, isPullRequest: true, user: pull.user } : null;
  }

  async listIssues(ref: RepoRef, query: { labels?: string[]; state?: 'open' | 'closed' | 'all' }): Promise<IssueInfo[]> {
    this.log('listIssues', ref, query);
    const state = query.state ?? 'open';
    return [...(this.repos.get(key(ref))?.issues.values() ?? [])]
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => (query.labels ?? []).every((l) => i.labels.includes(l)));
  }

  async createIssue(ref: RepoRef, input: { title: string; body: string; labels?: string[] }): Promise<IssueInfo> {
    this.log('createIssue', ref, input);
    const r = this.repo(key(ref));
    const number = r.nextNumber++;
    const issue: IssueInfo = { owner: r.info.owner, repo: r.info.repo, number, title: input.title, body: input.body, state: 'open', labels: [...(input.labels ?? [])], htmlUrl: `${r.info.htmlUrl}/issues/${number}`, isPullRequest: false, user: user('unwind[bot]') };
    r.issues.set(number, issue);
    return issue;
  }

  async updateIssue(ref: RepoRef, number: number, input: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<IssueInfo> {
    this.log('updateIssue', ref, number, input);
    const r = this.repo(key(ref));
    const issue = r.issues.get(number);
    if (!issue) throw new Error(`fake: no issue #${number} in ${key(ref)}`);
    const updated = { ...issue, ...input };
    r.issues.set(number, updated);
    return updated;
  }

  async addLabels(ref: RepoRef, number: number, labels: string[]): Promise<void> {
    this.log('addLabels', ref, number, labels);
    const r = this.repo(key(ref));
    const issue = r.issues.get(number);
    if (issue) r.issues.set(number, { ...issue, labels: [...new Set([...issue.labels, ...labels])] });
  }

  async listComments(ref: RepoRef, issueNumber: number): Promise<CommentInfo[]> {
    this.log('listComments', ref, issueNumber);
    return [...(this.repos.get(key(ref))?.comments.get(issueNumber) ?? [])];
  }

  async createComment(ref: RepoRef, issueNumber: number, body: string): Promise<CommentInfo> {
    this.log('createComment', ref, issueNumber, body);
    const r = this.repo(key(ref));
    const id = this.nextCommentId++;
    const comment: CommentInfo = { id, body, user: user('unwind[bot]'), createdAt: this.tick(), htmlUrl: `${r.info.htmlUrl}/issues/${issueNumber}#issuecomment-${id}` };
    r.comments.set(issueNumber, [...(r.comments.get(issueNumber) ?? []), comment]);
    return comment;
  }

  /** A comment by someone else (`login`), e.g. another App's bot: for tests of what counts as Unwind's own. */
  commentAs(login: string, ref: RepoRef, issueNumber: number, body: string): void {
    const r = this.repo(key(ref));
    const id = this.nextCommentId++;
    r.comments.set(issueNumber, [...(r.comments.get(issueNumber) ?? []), { id, body, user: user(login), createdAt: this.tick(), htmlUrl: `${r.info.htmlUrl}/issues/${issueNumber}#issuecomment-${id}` }]);
  }

  async updateComment(ref: RepoRef, commentId: number, body: string): Promise<CommentInfo> {
    this.log('updateComment', ref, commentId, body);
    const r = this.repo(key(ref));
    for (const [n, list] of r.comments) {
      const i = list.findIndex((c) => c.id === commentId);
      if (i >= 0) {
        const updated = { ...list[i], body };
        r.comments.set(n, list.map((c, j) => (j === i ? updated : c)));
        return updated;
      }
    }
    throw new Error(`fake: no comment ${commentId} in ${key(ref)}`);
  }

  async addReaction(ref: RepoRef, commentId: number, content: 'eyes' | '+1' | '-1' | 'rocket' | 'confused'): Promise<void> {
    this.log('addReaction', ref, commentId, content);
  }

  // ---- internals ----

  private repo(fullName: string): FakeRepo {
    const r = this.repos.get(fullName.toLowerCase());
    if (!r) throw new Error(`fake: no repo ${fullName}`);
    return r;
  }

  private resolve(r: FakeRepo, gitRef: string): string | null {
    const branch = r.branches.get(gitRef);
    if (branch) return branch;
    if (/^[0-9a-f]{4,40}$/i.test(gitRef)) for (const sha of r.commits.keys()) if (sha.startsWith(gitRef.toLowerCase())) return sha;
    return null;
  }

  private mustPull(r: FakeRepo, number: number): PullInfo {
    const pull = r.pulls.get(number);
    if (!pull) throw new Error(`fake: no pull #${number}`);
    return pull;
  }

  private pullInfo(
    r: FakeRepo,
    number: number,
    p: { title: string; body: string; merged: boolean; mergedAt: string | null; mergeCommitSha: string | null; author: string; state: 'open' | 'closed'; head?: string; base?: string },
  ): PullInfo {
    const head = p.head ?? `pr-${number}`;
    return {
      owner: r.info.owner, repo: r.info.repo, number, title: p.title, body: p.body, state: p.state, merged: p.merged,
      mergedAt: p.mergedAt, mergeCommitSha: p.mergeCommitSha, headRef: head, headSha: r.branches.get(head) ?? p.mergeCommitSha ?? '0'.repeat(40),
      baseRef: p.base ?? r.info.defaultBranch, user: user(p.author), htmlUrl: `${r.info.htmlUrl}/pull/${number}`, mergeable: p.merged ? null : true, mergeableState: 'clean',
    };
  }

  private tick(): string {
    this.clock += 60_000;
    return new Date(this.clock).toISOString();
  }

  private log(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }
}
