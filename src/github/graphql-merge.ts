/**
 * The port's `mergePullRequest` over GitHub's GraphQL API: the merge, and in the same answer what the merge
 * commit holds at some paths (`Commit.file`), so verifying a revert after its merge needs no read of its own.
 * Any answer but "merged" (GitHub's refusal, or a query its schema rejects) is returned as a refusal with GitHub's
 * message, for the caller to settle with REST's merge (whose 405/409 answers it knows); rate limits and transport
 * failures throw `GitHubError`s.
 */
import { sendGraphql } from './graphql-send.ts';
import type { OctokitLike } from './octokit-like.ts';
import type { GitHubPort, GraphqlMergeOutcome } from './port.ts';

/** Paths asked for in one merge (beyond, verification reads the files with REST as before). */
export const MERGE_PATHS_MAX = 50;

/** The mutation with one aliased `file(path:)` per path (`$p0`, `$p1`, …); paths travel as variables. */
export function mergeMutation(paths: number): string {
  const vars = Array.from({ length: paths }, (_, i) => `, $p${i}: String!`).join('');
  const files = Array.from({ length: paths }, (_, i) => ` f${i}: file(path: $p${i}) { oid }`).join('');
  return `mutation UnwindMergePull($id: ID!, $mergeMethod: PullRequestMergeMethod!, $head: GitObjectID!, $commitHeadline: String!, $commitBody: String!${vars}) {
  mergePullRequest(input: {pullRequestId: $id, mergeMethod: $mergeMethod, expectedHeadOid: $head, commitHeadline: $commitHeadline, commitBody: $commitBody}) {
    pullRequest { merged mergeCommit { oid${files} } }
  }
}`;
}

interface MergeAnswer {
  mergePullRequest: { pullRequest: { merged: boolean; mergeCommit: ({ oid: string } & Record<string, { oid: string } | null | string>) | null } | null } | null;
}

export function graphqlMergeMethods(octokit: OctokitLike): Required<Pick<GitHubPort, 'mergePullRequest'>> {
  return {
    async mergePullRequest(ref, input): Promise<GraphqlMergeOutcome> {
      // Beyond the bound no file is asked for (`files` null: verification reads them itself).
      const paths = input.paths.length <= MERGE_PATHS_MAX ? input.paths : null;
      // (@octokit/graphql keeps `method`, `query` and `url` for itself: no variable has those names.)
      const variables: Record<string, unknown> = { id: input.pullNodeId, mergeMethod: input.method.toUpperCase(), head: input.sha, commitHeadline: input.title, commitBody: input.message };
      paths?.forEach((p, i) => (variables[`p${i}`] = p));
      const answer = await sendGraphql<MergeAnswer>(octokit, mergeMutation(paths?.length ?? 0), variables);
      const pull = answer.data?.mergePullRequest?.pullRequest;
      const commit = pull?.mergeCommit;
      if (pull?.merged && commit && !answer.errors?.length) {
        const files = paths && Object.fromEntries(paths.map((p, i) => [p, (commit[`f${i}`] as { oid: string } | null)?.oid ?? null]));
        return { kind: 'merged', sha: commit.oid, files };
      }
      const errors = answer.errors ?? [];
      // A refusal, or a GitHub whose schema does not take this query (an older Enterprise Server: errors without
      // a type); either way nothing was merged, and REST's merge goes next.
      return { kind: 'refused', message: errors.map((e) => e.message).join('; ') || 'the pull request was not merged' };
    },
  };
}
