import type { OctokitLike, OctokitResponseLike } from './octokit-like.ts';
import type { RepoRef } from './port.ts';
import { statusOf, toGitHubError } from './to-github-error.ts';

type Params = Record<string, unknown>;

/** Octokit calls with errors converted to `GitHubError` and "not found" statuses turned into null. */
export interface GitHubCalls {
  request(route: string, params?: Params): Promise<OctokitResponseLike>;
  /** The response, or null when GitHub answers one of `absent` (default: 404). */
  requestOrNull(route: string, params?: Params, absent?: readonly number[]): Promise<OctokitResponseLike | null>;
  /** Every item of every page (`per_page: 100`). */
  paginate<T>(route: string, params?: Params): Promise<T[]>;
}

export function callGitHub(octokit: OctokitLike): GitHubCalls {
  const request = async (route: string, params: Params = {}): Promise<OctokitResponseLike> => {
    try {
      return await octokit.request(route, params);
    } catch (err) {
      throw convert(err, route);
    }
  };
  return {
    request,
    async requestOrNull(route, params = {}, absent = [404]) {
      try {
        return await octokit.request(route, params);
      } catch (err) {
        if (absent.includes(statusOf(err))) return null;
        throw convert(err, route);
      }
    },
    async paginate<T>(route: string, params: Params = {}): Promise<T[]> {
      try {
        return (await octokit.paginate(route, { per_page: 100, ...params })) as T[];
      } catch (err) {
        throw convert(err, route);
      }
    },
  };
}

function convert(err: unknown, route: string) {
  const space = route.indexOf(' ');
  return toGitHubError(err, route.slice(0, space), route.slice(space + 1));
}

/** Only owner and repo: a `RepoInfo` passed as a `RepoRef` must not leak its other fields into the query. */
export function repoParams(ref: RepoRef): { owner: string; repo: string } {
  return { owner: ref.owner, repo: ref.repo };
}
