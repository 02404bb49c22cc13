/**
 * The root fields the sandbox implements: `node(id:)`, `repository(owner:, name:)` and the mutations
 * `revertPullRequest` and `mergePullRequest`. Visibility and permissions follow REST's rules (auth/access.ts): what the actor may not
 * see is NOT_FOUND, a missing installation permission is FORBIDDEN.
 */
import { actorLogin, findRepo, installationSees, levelAtLeast, roleAtLeast, userRole } from '../auth/access.ts';
import type { SandboxContext } from '../context.ts';
import type { Actor } from '../http/rest-types.ts';
import { repoOf } from '../objects/issue.ts';
import type { PullState, RepoState } from '../state/model.ts';
import { GitHubGraphqlError } from './errors.ts';
import { decodeNodeId } from './node-id.ts';
import { pullRequestNode, repositoryNode } from './objects.ts';
import { revertPull } from './revert-pull.ts';
import { mergePull } from '../services/merge-pull.ts';
import { HttpError } from '../http/http-error.ts';

export interface GraphqlContext {
  readonly ctx: SandboxContext;
  readonly actor: Actor;
}

function canSee(g: GraphqlContext, repo: RepoState): boolean {
  const a = g.actor;
  if (a.kind === 'installation') return installationSees(a.installation, repo, a.token);
  if (a.kind === 'user') return !repo.private || userRole(g.ctx, a.login, repo) !== null;
  return false;
}

/** Write access for a mutation on `repo`: installation permissions, or the user's role. */
function requireWrite(g: GraphqlContext, repo: RepoState, permissions: readonly string[], mutation: string): void {
  const a = g.actor;
  if (a.kind === 'installation') {
    const perms = a.token.permissions ?? a.installation.permissions;
    if (permissions.every((p) => levelAtLeast(perms[p], 'write'))) return;
    throw new GitHubGraphqlError('FORBIDDEN', 'Resource not accessible by integration');
  }
  if (a.kind === 'user' && roleAtLeast(userRole(g.ctx, a.login, repo), 'write')) return;
  throw new GitHubGraphqlError('FORBIDDEN', `${a.kind === 'user' ? a.login : 'The viewer'} does not have the correct permissions to execute \`${mutation}\``);
}

function notANode(id: string): GitHubGraphqlError {
  return new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'.`);
}

/** The PR a node id names, if the actor can see it. */
function pullByNodeId(g: GraphqlContext, id: string): PullState {
  const decoded = decodeNodeId(id);
  if (!decoded || decoded.kind !== 'PR_') throw notANode(id);
  const pull = g.ctx.state.pulls.find((p) => p.id === decoded.id);
  if (!pull || !canSee(g, repoOf(g.ctx, pull.repo))) throw notANode(id);
  return pull;
}

function nodeById(g: GraphqlContext, id: string): Record<string, unknown> {
  const decoded = decodeNodeId(id);
  if (decoded?.kind === 'R') {
    const repo = Object.values(g.ctx.state.repos).find((r) => r.id === decoded.id);
    if (repo && canSee(g, repo)) return repositoryNode(g.ctx, repo);
    throw notANode(id);
  }
  return pullRequestNode(g.ctx, pullByNodeId(g, id));
}

interface MergeArgs {
  input: { pullRequestId: string; mergeMethod?: string | null; expectedHeadOid?: string | null; commitHeadline?: string | null; commitBody?: string | null; authorEmail?: string | null; clientMutationId?: string | null };
}

interface RevertArgs {
  input: { pullRequestId: string; title?: string | null; body?: string | null; draft?: boolean | null; clientMutationId?: string | null };
}

export function rootValue(): Record<string, unknown> {
  return {
    node: ({ id }: { id: string }, g: GraphqlContext) => nodeById(g, id),
    repository: ({ owner, name }: { owner: string; name: string }, g: GraphqlContext) => {
      const repo = findRepo(g.ctx, owner, name);
      if (!repo || !canSee(g, repo)) throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repositoryNode(g.ctx, repo);
    },
    mergePullRequest: async ({ input }: MergeArgs, g: GraphqlContext) => {
      const pull = pullByNodeId(g, input.pullRequestId);
      const repo = repoOf(g.ctx, pull.repo);
      requireWrite(g, repo, ['contents'], 'MergePullRequest');
      try {
        // REST's merge exactly (its checks, its commit, its webhooks); its refusals become GraphQL errors with
        // the same messages, as GitHub's are ("Head branch was modified. Review and try the merge again.").
        await mergePull(g.ctx, repo, pull, actorLogin(g.ctx, g.actor), {
          method: (input.mergeMethod ?? 'MERGE').toLowerCase(),
          sha: input.expectedHeadOid ?? undefined,
          commitTitle: input.commitHeadline ?? undefined,
          commitMessage: input.commitBody ?? undefined,
        });
      } catch (err) {
        if (err instanceof HttpError) throw new GitHubGraphqlError('UNPROCESSABLE', err.message);
        throw err;
      }
      return { clientMutationId: input.clientMutationId ?? null, actor: null, pullRequest: pullRequestNode(g.ctx, pull) };
    },
    revertPullRequest: async ({ input }: RevertArgs, g: GraphqlContext) => {
      const pull = pullByNodeId(g, input.pullRequestId);
      const repo = repoOf(g.ctx, pull.repo);
      requireWrite(g, repo, ['contents', 'pull_requests'], 'RevertPullRequest');
      const revert = await revertPull(g.ctx, repo, pull, { login: actorLogin(g.ctx, g.actor), viaApp: g.actor.kind === 'installation' }, input);
      return {
        clientMutationId: input.clientMutationId ?? null,
        pullRequest: pullRequestNode(g.ctx, pull),
        revertPullRequest: pullRequestNode(g.ctx, revert),
      };
    },
  };
}
