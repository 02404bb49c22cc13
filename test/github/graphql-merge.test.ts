/**
 * How the port reads GitHub's answers to its GraphQL merge (src/github/graphql-merge.ts), with an Octokit double
 * that answers as @octokit/graphql does (the sandbox's schema-checked run is in test/sandbox/graphql-port.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { GitHubError } from '../../src/github/errors.ts';
import { graphqlMergeMethods, mergeMutation } from '../../src/github/graphql-merge.ts';
import type { OctokitLike } from '../../src/github/octokit-like.ts';

const ref = { owner: 'acme', repo: 'api' };
const input = { pullNodeId: 'PR_1', method: 'squash' as const, sha: 'a'.repeat(40), title: 'Revert "x" (#2)', message: 'm', paths: ['src/app.txt', 'gone.txt'] };

/** `graphql` answers with `answer`, or throws it as @octokit/graphql throws a 200 that carries errors. */
function octokit(answer: { data?: unknown; errors?: unknown[] }, seen: Array<{ query: string; variables: Record<string, unknown> }> = []): OctokitLike {
  return {
    request: () => Promise.reject(new Error('not used')),
    paginate: () => Promise.reject(new Error('not used')),
    graphql: async (query: string, variables: Record<string, unknown>) => {
      seen.push({ query, variables });
      if (answer.errors) throw Object.assign(new Error('GraphQL errors'), { errors: answer.errors, data: answer.data ?? null });
      return answer.data;
    },
  } as OctokitLike;
}

describe('port.mergePullRequest answers', () => {
  it('maps a merge and the blobs at the asked paths, sending paths and texts as variables', async () => {
    const seen: Array<{ query: string; variables: Record<string, unknown> }> = [];
    const port = graphqlMergeMethods(octokit({ data: { mergePullRequest: { pullRequest: { merged: true, mergeCommit: { oid: 'b'.repeat(40), f0: { oid: 'c'.repeat(40) }, f1: null } } } } }, seen));
    expect(await port.mergePullRequest(ref, input)).toEqual({ kind: 'merged', sha: 'b'.repeat(40), files: { 'src/app.txt': 'c'.repeat(40), 'gone.txt': null } });
    expect(seen[0]!.query).toBe(mergeMutation(2));
    expect(seen[0]!.variables).toEqual({ id: 'PR_1', mergeMethod: 'SQUASH', head: 'a'.repeat(40), commitHeadline: 'Revert "x" (#2)', commitBody: 'm', p0: 'src/app.txt', p1: 'gone.txt' });
  });

  it('returns GitHub\'s refusal, and a query an older GitHub\'s schema rejects, as refusals for REST to settle', async () => {
    const refused = graphqlMergeMethods(octokit({ data: { mergePullRequest: null }, errors: [{ type: 'UNPROCESSABLE', message: 'Pull Request is not mergeable' }] }));
    expect(await refused.mergePullRequest(ref, input)).toEqual({ kind: 'refused', message: 'Pull Request is not mergeable' });
    const oldSchema = graphqlMergeMethods(octokit({ errors: [{ message: "Field 'file' doesn't exist on type 'Commit'" }] }));
    expect(await oldSchema.mergePullRequest(ref, input)).toEqual({ kind: 'refused', message: "Field 'file' doesn't exist on type 'Commit'" });
  });

  it('throws a rate limit as GitHub\'s 429, for the loop to wait and retry', async () => {
    const limited = graphqlMergeMethods(octokit({ errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] }));
    await expect(limited.mergePullRequest(ref, input)).rejects.toSatisfy((e: unknown) => e instanceof GitHubError && e.status === 429);
  });
});
