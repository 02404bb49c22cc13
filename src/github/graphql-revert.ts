/**
 * The port's `revertPullRequest` over GitHub's GraphQL API (the mutation behind the "Revert" button). Sent with
 * `octokit.graphql` (which knows GitHub Enterprise's `/api/graphql`), else as `POST /graphql`. An answer whose
 * errors carry a GitHub error type (UNPROCESSABLE, FORBIDDEN, NOT_FOUND) is GitHub refusing: the caller falls
 * back to git. Rate limits and transport failures throw `GitHubError`s like REST ones; an error without a type
 * (the schema rejected the document) is a bug in this file and throws.
 */
import type { OctokitLike } from './octokit-like.ts';
import type { GitHubPort, PullInfo, RepoRef, RevertPullOutcome } from './port.ts';
import { sendGraphql as send } from './graphql-send.ts';

const PULL_FIELDS = `fragment UnwindPull on PullRequest {
  id number title body state merged mergedAt mergeCommit { oid } headRefName headRefOid baseRefName url
  mergeable mergeStateStatus author { __typename login } repository { nameWithOwner }
}`;

export const REVERT_PULL_MUTATION = `mutation UnwindRevertPull($id: ID!, $title: String!, $body: String!, $draft: Boolean) {
  revertPullRequest(input: {pullRequestId: $id, title: $title, body: $body, draft: $draft}) {
    revertPullRequest { ...UnwindPull }
  }
}
${PULL_FIELDS}`;

interface GraphqlPull {
  id: string;
  number: number;
  title: string;
  body: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  merged: boolean;
  mergedAt: string | null;
  mergeCommit: { oid: string } | null;
  headRefName: string;
  headRefOid: string;
  baseRefName: string;
  url: string;
  mergeable: 'MERGEABLE' | 'CONFLICTING' | 'UNKNOWN';
  mergeStateStatus: string;
  author: { __typename: string; login: string } | null;
  repository?: { nameWithOwner: string } | null;
}

/** GitHub's refusals of a mutation; anything else is not an answer about the revert itself. */
const REFUSALS = new Set(['UNPROCESSABLE', 'FORBIDDEN', 'NOT_FOUND']);

export function toPullFromGraphql(ref: RepoRef, p: GraphqlPull): PullInfo {
  const bot = p.author?.__typename === 'Bot';
  return {
    owner: ref.owner,
    repo: ref.repo,
    number: p.number,
    title: p.title,
    body: p.body,
    state: p.state === 'OPEN' ? 'open' : 'closed',
    merged: p.merged,
    mergedAt: p.mergedAt,
    mergeCommitSha: p.mergeCommit?.oid ?? null,
    headRef: p.headRefName,
    headSha: p.headRefOid,
    baseRef: p.baseRefName,
    // GraphQL names an App's bot by its slug; REST (and so the rest of Unwind) by `<slug>[bot]`.
    user: p.author ? { login: bot ? `${p.author.login}[bot]` : p.author.login, type: bot ? 'Bot' : p.author.__typename === 'Organization' ? 'Organization' : 'User' } : { login: 'ghost', type: 'User' },
    htmlUrl: p.url,
    mergeable: p.mergeable === 'UNKNOWN' ? null : p.mergeable === 'MERGEABLE',
    mergeableState: p.mergeStateStatus.toLowerCase(),
    nodeId: p.id,
  };
}

export function graphqlMethods(octokit: OctokitLike): Required<Pick<GitHubPort, 'revertPullRequest'>> {
  return {
    async revertPullRequest(ref, input): Promise<RevertPullOutcome> {
      const answer = await send<{ revertPullRequest: { revertPullRequest: GraphqlPull | null } | null }>(octokit, REVERT_PULL_MUTATION, {
        id: input.pullNodeId,
        title: input.title,
        body: input.body,
        draft: input.draft ?? false,
      });
      const opened = answer.data?.revertPullRequest?.revertPullRequest;
      if (opened && !answer.errors?.length) {
        // A node id names one PR of one GitHub: a revert opened anywhere but in `ref` is an id from elsewhere.
        const where = opened.repository?.nameWithOwner;
        if (where && where.toLowerCase() !== `${ref.owner}/${ref.repo}`.toLowerCase()) throw new Error(`GitHub's revertPullRequest opened ${where}#${opened.number}, not a pull request of ${ref.owner}/${ref.repo}: the node id sent was not of that repository's pull request`);
        return { kind: 'opened', pull: toPullFromGraphql(ref, opened) };
      }
      const errors = answer.errors ?? [];
      const refusal = errors.find((e) => e.type !== undefined && REFUSALS.has(e.type));
      if (refusal) return { kind: 'refused', type: refusal.type ?? null, message: refusal.message };
      const text = errors.map((e) => (e.type ? `${e.type}: ${e.message}` : e.message)).join('; ') || 'no pull request in the answer';
      throw new Error(`GitHub's revertPullRequest answered unexpectedly for ${ref.owner}/${ref.repo}: ${text}`);
    },
  };
}
