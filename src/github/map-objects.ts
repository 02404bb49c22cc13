/** Pure conversions from GitHub's REST objects to the port's types. */
import type { CommentInfo, CommitInfo, IssueInfo, PullInfo, RepoInfo, RepoRef, UserRef, WorkflowRunInfo } from './port.ts';
import type { WireComment, WireCommit, WireIssue, WirePull, WireRepo, WireUser, WireWorkflowRun } from './wire.ts';

export function toUser(user: WireUser | null | undefined): UserRef {
  if (!user) return { login: 'ghost', type: 'User' };
  const type = user.type === 'Bot' || user.type === 'Organization' ? user.type : 'User';
  return { login: user.login, type };
}

export function toRepo(r: WireRepo): RepoInfo {
  return {
    owner: r.owner.login,
    repo: r.name,
    defaultBranch: r.default_branch,
    cloneUrl: r.clone_url,
    htmlUrl: r.html_url,
    // Fail closed: anything not known to be public counts as private (internal repos are not public either).
    private: r.private !== false || (r.visibility !== undefined && r.visibility !== 'public'),
    allowMergeCommit: r.allow_merge_commit ?? true,
    allowSquashMerge: r.allow_squash_merge ?? true,
    allowRebaseMerge: r.allow_rebase_merge ?? true,
  };
}

/** Works for both the full pull request and the "simple" one of list endpoints (no `merged`/`mergeable`). */
export function toPull(ref: RepoRef, p: WirePull): PullInfo {
  return {
    owner: ref.owner,
    repo: ref.repo,
    number: p.number,
    title: p.title,
    body: p.body ?? '',
    state: p.state === 'open' ? 'open' : 'closed',
    merged: p.merged ?? p.merged_at !== null,
    mergedAt: p.merged_at,
    mergeCommitSha: p.merge_commit_sha,
    headRef: p.head.ref,
    headSha: p.head.sha,
    baseRef: p.base.ref,
    user: toUser(p.user),
    htmlUrl: p.html_url,
    mergeable: p.mergeable ?? null,
    mergeableState: p.mergeable_state ?? 'unknown',
    ...(p.node_id ? { nodeId: p.node_id } : {}),
    ...(p.labels ? { labels: labelNames(p.labels) } : {}),
  };
}

function labelNames(labels: ReadonlyArray<string | { name?: string }>): string[] {
  return labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter((l) => l !== '');
}

export function toCommit(c: WireCommit, files: readonly string[]): CommitInfo {
  return {
    sha: c.sha,
    parents: c.parents.map((p) => p.sha),
    message: c.commit.message,
    authorLogin: c.author?.login ?? null,
    committedAt: c.commit.committer?.date ?? c.commit.author?.date ?? '',
    files,
  };
}

export function toIssue(ref: RepoRef, i: WireIssue): IssueInfo {
  return {
    owner: ref.owner,
    repo: ref.repo,
    number: i.number,
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'open' ? 'open' : 'closed',
    labels: labelNames(i.labels),
    htmlUrl: i.html_url,
    isPullRequest: i.pull_request !== undefined && i.pull_request !== null,
    user: toUser(i.user),
    ...(i.updated_at ? { updatedAt: i.updated_at } : {}),
  };
}

export function toComment(c: WireComment): CommentInfo {
  return { id: c.id, body: c.body ?? '', user: toUser(c.user), createdAt: c.created_at, htmlUrl: c.html_url };
}

export function toWorkflowRun(r: WireWorkflowRun): WorkflowRunInfo {
  return {
    id: r.id,
    name: r.name ?? '',
    status: r.status ?? 'unknown',
    conclusion: r.conclusion,
    headSha: r.head_sha,
    htmlUrl: r.html_url,
    createdAt: r.created_at,
  };
}

/** Whether a run belongs to `workflow`: a file name (`deploy.yml`), a path, a numeric id or the workflow's name. */
export function matchesWorkflow(r: WireWorkflowRun, workflow: string): boolean {
  if (/^\d+$/.test(workflow) && r.workflow_id === Number(workflow)) return true;
  if (r.path !== undefined && (r.path === workflow || r.path.endsWith(`/${workflow}`))) return true;
  return r.name === workflow;
}
