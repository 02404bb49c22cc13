/**
 * One GraphQL request over Octokit: `octokit.graphql` (which knows GitHub Enterprise's `/api/graphql`), else
 * `POST /graphql`. An HTTP 200 carrying `errors` is an answer (returned with whatever `data` came with it);
 * rate limits and transport failures throw `GitHubError`s like REST ones.
 */
import type { OctokitLike } from './octokit-like.ts';
import { GitHubError } from './errors.ts';
import { toGitHubError } from './to-github-error.ts';

export interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: Array<{ type?: string; message: string; path?: ReadonlyArray<string | number> }>;
}

type GraphqlFn = (query: string, params?: Record<string, unknown>) => Promise<unknown>;

export async function sendGraphql<T>(octokit: OctokitLike, query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
  const answer = await send<T>(octokit, query, variables);
  // GitHub's GraphQL rate limit comes as an HTTP 200 with a RATE_LIMITED error: the same 429 as REST's.
  const limited = answer.errors?.filter((e) => e.type === 'RATE_LIMITED') ?? [];
  if (limited.length) throw new GitHubError(429, 'POST', '/graphql', limited.map((e) => e.message).join('; '));
  return answer;
}

async function send<T>(octokit: OctokitLike, query: string, variables: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
  const graphql = (octokit as OctokitLike & { graphql?: GraphqlFn }).graphql;
  try {
    if (typeof graphql === 'function') return { data: (await graphql.call(octokit, query, variables)) as T };
    const res = await octokit.request('POST /graphql', { query, variables });
    return res.data as GraphqlAnswer<T>;
  } catch (err) {
    // @octokit/graphql throws GraphqlResponseError for an HTTP 200 carrying `errors`: that is an answer.
    if (err && typeof err === 'object' && 'errors' in err && Array.isArray(err.errors) && !('status' in err)) {
      return { data: (err as { data?: T }).data ?? null, errors: err.errors as GraphqlAnswer<T>['errors'] };
    }
    throw toGitHubError(err, 'POST', '/graphql');
  }
}
