/**
 * The GitHub port over Octokit: GitHub's real REST endpoints, every list paginated, "not found" mapped to null where
 * the port says so, and every failure converted into a `GitHubError` (never carrying a token).
 */
import { callGitHub } from './call-github.ts';
import { checkMethods } from './check-methods.ts';
import { defaultBranchFileMethods } from './default-branch-files.ts';
import { graphqlMethods } from './graphql-revert.ts';
import { graphqlMergeMethods } from './graphql-merge.ts';
import { issueMethods } from './issue-methods.ts';
import type { OctokitLike } from './octokit-like.ts';
import type { GitHubPort } from './port.ts';
import { pullMethods } from './pull-methods.ts';
import { repoMethods } from './repo-methods.ts';

export type { OctokitLike } from './octokit-like.ts';

export function createOctokitPort(octokit: OctokitLike): GitHubPort {
  const gh = callGitHub(octokit);
  return { ...repoMethods(gh), ...pullMethods(gh), ...checkMethods(gh), ...issueMethods(gh), ...graphqlMethods(octokit), ...graphqlMergeMethods(octokit), ...defaultBranchFileMethods(octokit) };
}
