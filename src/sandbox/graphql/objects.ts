/**
 * GraphQL objects of the sandbox's state, built from the same records as REST (so REST and GraphQL agree).
 * Only the fields listed here are implemented; asking for another is answered with an error and recorded as a
 * violation in strict mode (see execute.ts), like an unimplemented REST endpoint.
 */
import type { SandboxContext } from '../context.ts';
import { repoOf } from '../objects/issue.ts';
import { issueOfPull } from '../objects/pull-request.ts';
import { repoHtml } from '../objects/urls.ts';
import { mergeableState } from '../services/evaluate-checks.ts';
import type { AccountState, PullState, RepoState } from '../state/model.ts';
import { GitHubGraphqlError } from './errors.ts';
import { nodeId } from './node-id.ts';
import { levelAtLeast } from '../auth/access.ts';
import type { Actor } from '../http/rest-types.ts';

type GqlObject = Record<string, unknown> & { __typename: string };

/** `Actor` / `RepositoryOwner`: a Bot's GraphQL login is the App's slug, without REST's `[bot]` suffix. */
export function actorNode(ctx: SandboxContext, login: string): GqlObject | null {
  const acc: AccountState | undefined = ctx.state.accounts[login];
  if (!acc) return null;
  const typename = acc.type === 'Bot' ? 'Bot' : acc.type === 'Organization' ? 'Organization' : 'User';
  const prefix = acc.type === 'Organization' ? 'O' : acc.type === 'Bot' ? 'BOT' : 'U';
  return {
    __typename: typename,
    id: nodeId(prefix, acc.id),
    databaseId: acc.id,
    login: acc.type === 'Bot' ? acc.login.replace(/\[bot\]$/, '') : acc.login,
    url: `${ctx.baseUrl}/${encodeURIComponent(acc.login)}`,
  };
}

export function repositoryNode(ctx: SandboxContext, repo: RepoState): GqlObject {
  const key = `${repo.owner}/${repo.name}`.toLowerCase();
  return {
    __typename: 'Repository',
    id: nodeId('R', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: `${repo.owner}/${repo.name}`,
    owner: actorNode(ctx, repo.owner),
    url: repoHtml(ctx, repo.owner, repo.name),
    isPrivate: repo.private,
    // The default branch's ref, or null while the repository has no commits.
    defaultBranchRef: async () => {
      const sha = await ctx.git(key).resolve(`refs/heads/${repo.defaultBranch}`);
      return sha ? { __typename: 'Ref', id: nodeId('REF_', repo.id), name: repo.defaultBranch, prefix: 'refs/heads/', target: commitNode(ctx, repo, sha) } : null;
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = ctx.state.pulls.find((p) => p.repo === key && p.number === number);
      if (!pull) throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`);
      return pullRequestNode(ctx, pull);
    },
  };
}

/** A commit, with `file(path:)`: what is at that path in it (contents read permission, as REST's contents API). */
function commitNode(ctx: SandboxContext, repo: RepoState, sha: string): GqlObject {
  const git = ctx.git(`${repo.owner}/${repo.name}`.toLowerCase());
  return {
    __typename: 'Commit',
    id: nodeId('C_', parseInt(sha.slice(0, 8), 16)),
    oid: sha,
    file: async ({ path }: { path: string }, g: { actor: Actor }) => {
      requireContentsRead(g.actor);
      let entry;
      try {
        entry = (await git.pathEntry(sha, path)).entry;
      } catch {
        return null; // not a path GitHub could have (e.g. `..`): nothing there
      }
      if (!entry) return null;
      const name = path.split('/').pop() ?? path;
      const object = entry.type === 'tree' ? { __typename: 'Tree', oid: entry.sha } : await blobNode(git, sha, path);
      return { __typename: 'TreeEntry', type: entry.type, oid: entry.sha, path, name, object };
    },
  };
}

/** Blob text as GitHub gives it: null for binary content (a NUL byte in its first 8,000 bytes, git's own test). */
async function blobNode(git: ReturnType<SandboxContext['git']>, sha: string, path: string): Promise<GqlObject | null> {
  const file = await git.readFile(sha, path);
  if (!file) return null;
  const isBinary = file.content.subarray(0, 8000).includes(0);
  return { __typename: 'Blob', oid: file.blobSha, byteSize: file.size, isBinary, isTruncated: false, text: isBinary ? null : file.content.toString('utf8') };
}

function requireContentsRead(actor: Actor): void {
  if (actor.kind !== 'installation') return;
  const perms = actor.token.permissions ?? actor.installation.permissions;
  if (!levelAtLeast(perms.contents, 'read')) throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
}

const MERGE_STATE: Record<string, string> = { clean: 'CLEAN', dirty: 'DIRTY', draft: 'DRAFT', behind: 'BEHIND', blocked: 'BLOCKED', unstable: 'UNSTABLE', unknown: 'UNKNOWN' };

export function pullRequestNode(ctx: SandboxContext, pull: PullState): GqlObject {
  const issue = issueOfPull(ctx, pull);
  const repo = repoOf(ctx, pull.repo);
  const open = !pull.merged && issue.state === 'open';
  const mergeable = open ? pull.mergeable : null;
  return {
    __typename: 'PullRequest',
    id: nodeId('PR_', pull.id),
    databaseId: pull.id,
    number: pull.number,
    title: issue.title,
    body: issue.body ?? '',
    state: pull.merged ? 'MERGED' : issue.state === 'open' ? 'OPEN' : 'CLOSED',
    closed: issue.state === 'closed',
    merged: pull.merged,
    mergedAt: pull.mergedAt,
    isDraft: pull.draft,
    createdAt: issue.createdAt,
    updatedAt: issue.updatedAt,
    closedAt: issue.closedAt,
    url: repoHtml(ctx, repo.owner, repo.name, `/pull/${pull.number}`),
    permalink: repoHtml(ctx, repo.owner, repo.name, `/pull/${pull.number}`),
    headRefName: pull.headRef,
    headRefOid: pull.headSha,
    baseRefName: pull.baseRef,
    baseRefOid: pull.baseSha,
    mergeCommit: pull.mergeCommitSha && pull.merged ? commitNode(ctx, repo, pull.mergeCommitSha) : null,
    mergeable: mergeable === null ? 'UNKNOWN' : mergeable ? 'MERGEABLE' : 'CONFLICTING',
    mergeStateStatus: MERGE_STATE[open ? mergeableState(ctx, repo, pull, mergeable) : 'unknown'] ?? 'UNKNOWN',
    author: actorNode(ctx, issue.user),
    repository: repositoryNode(ctx, repo),
  };
}
