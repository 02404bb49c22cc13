/** `repository` / `full-repository` / `repository-webhooks` / `minimal-repository` (one superset builder). */
import type { SandboxContext } from '../context.ts';
import type { RepoState } from '../state/model.ts';
import { simpleUser } from './simple-user.ts';
import { nodeId, repoApi, repoHtml } from './urls.ts';

export interface RepoPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export function openIssueCount(ctx: SandboxContext, key: string): number {
  return ctx.state.issues.filter((i) => i.repo === key && i.state === 'open').length;
}

export function repository(ctx: SandboxContext, repo: RepoState, opts: { permissions?: RepoPermissions; full?: boolean } = {}): Record<string, unknown> {
  const owner = ctx.state.accounts[repo.owner];
  const api = (rest: string): string => repoApi(ctx, repo.owner, repo.name, rest);
  const fullName = `${repo.owner}/${repo.name}`;
  const openIssues = openIssueCount(ctx, fullName.toLowerCase());
  const out: Record<string, unknown> = {
    id: repo.id,
    node_id: nodeId('R', repo.id),
    name: repo.name,
    full_name: fullName,
    private: repo.private,
    owner: simpleUser(ctx, owner),
    html_url: repoHtml(ctx, repo.owner, repo.name),
    description: repo.description,
    fork: false,
    url: api(''),
    archive_url: api('/{archive_format}{/ref}'),
    assignees_url: api('/assignees{/user}'),
    blobs_url: api('/git/blobs{/sha}'),
    branches_url: api('/branches{/branch}'),
    collaborators_url: api('/collaborators{/collaborator}'),
    comments_url: api('/comments{/number}'),
    commits_url: api('/commits{/sha}'),
    compare_url: api('/compare/{base}...{head}'),
    contents_url: api('/contents/{+path}'),
    contributors_url: api('/contributors'),
    deployments_url: api('/deployments'),
    downloads_url: api('/downloads'),
    events_url: api('/events'),
    forks_url: api('/forks'),
    git_commits_url: api('/git/commits{/sha}'),
    git_refs_url: api('/git/refs{/sha}'),
    git_tags_url: api('/git/tags{/sha}'),
    git_url: `${ctx.baseUrl.replace(/^http/, 'git')}/${fullName}.git`,
    issue_comment_url: api('/issues/comments{/number}'),
    issue_events_url: api('/issues/events{/number}'),
    issues_url: api('/issues{/number}'),
    keys_url: api('/keys{/key_id}'),
    labels_url: api('/labels{/name}'),
    languages_url: api('/languages'),
    merges_url: api('/merges'),
    milestones_url: api('/milestones{/number}'),
    notifications_url: api('/notifications{?since,all,participating}'),
    pulls_url: api('/pulls{/number}'),
    releases_url: api('/releases{/id}'),
    ssh_url: `git@127.0.0.1:${fullName}.git`,
    stargazers_url: api('/stargazers'),
    statuses_url: api('/statuses/{sha}'),
    subscribers_url: api('/subscribers'),
    subscription_url: api('/subscription'),
    tags_url: api('/tags'),
    teams_url: api('/teams'),
    trees_url: api('/git/trees{/sha}'),
    clone_url: `${repoHtml(ctx, repo.owner, repo.name)}.git`,
    mirror_url: null,
    hooks_url: api('/hooks'),
    svn_url: repoHtml(ctx, repo.owner, repo.name),
    homepage: null,
    language: null,
    forks_count: 0,
    stargazers_count: 0,
    watchers_count: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
  };
  if (opts.permissions) out.permissions = opts.permissions;
  if (opts.full) {
    Object.assign(out, {
      allow_merge_commit: repo.allowMergeCommit,
      allow_squash_merge: repo.allowSquashMerge,
      allow_rebase_merge: repo.allowRebaseMerge,
      allow_auto_merge: false,
      allow_update_branch: true,
      delete_branch_on_merge: repo.deleteBranchOnMerge,
      use_squash_pr_title_as_default: false,
      squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
      squash_merge_commit_message: 'COMMIT_MESSAGES',
      merge_commit_title: 'MERGE_MESSAGE',
      merge_commit_message: 'PR_TITLE',
      temp_clone_token: '',
      subscribers_count: 0,
      network_count: 0,
    });
    if (owner.type === 'Organization') out.organization = simpleUser(ctx, owner);
  }
  return out;
}
