/** Pull request methods of the Octokit-backed port. */
import { type GitHubCalls, repoParams } from './call-github.ts';
import { GitHubError } from './errors.ts';
import { toPull } from './map-objects.ts';
import { refusedMergeOutcome } from './merge-outcome.ts';
import type { GitHubPort } from './port.ts';
import type { WirePull } from './wire.ts';

type PullMethods = Pick<GitHubPort, 'getPull' | 'listPulls' | 'createPull' | 'updatePull' | 'mergePull' | 'requestReviewers'>;

export function pullMethods(gh: GitHubCalls): PullMethods {
  const getPull: GitHubPort['getPull'] = async (ref, number) => {
    const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repoParams(ref), pull_number: number });
    return res === null ? null : toPull(ref, res.data as WirePull);
  };

  return {
    getPull,

    async listPulls(ref, query) {
      const params: Record<string, unknown> = { ...repoParams(ref), state: query.state ?? 'open' };
      // GitHub filters by head only in the `owner:branch` form.
      if (query.head !== undefined) params.head = query.head.includes(':') ? query.head : `${ref.owner}:${query.head}`;
      if (query.base !== undefined) params.base = query.base;
      const pulls = await gh.paginate<WirePull>('GET /repos/{owner}/{repo}/pulls', params);
      return pulls.map((p) => toPull(ref, p));
    },

    async createPull(ref, input) {
      const res = await gh.request('POST /repos/{owner}/{repo}/pulls', { ...repoParams(ref), ...input });
      return toPull(ref, res.data as WirePull);
    },

    async updatePull(ref, number, input) {
      const res = await gh.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...repoParams(ref), pull_number: number, ...input });
      return toPull(ref, res.data as WirePull);
    },

    async mergePull(ref, number, input) {
      const params: Record<string, unknown> = { ...repoParams(ref), pull_number: number, merge_method: input.method };
      if (input.sha !== undefined) params.sha = input.sha;
      if (input.title !== undefined) params.commit_title = input.title;
      if (input.message !== undefined) params.commit_message = input.message;
      try {
        const res = await gh.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', params);
        return { kind: 'merged', sha: (res.data as { sha: string }).sha };
      } catch (err) {
        if (!(err instanceof GitHubError) || (err.status !== 405 && err.status !== 409)) throw err;
        const message = err.githubMessage;
        let computing = false;
        if (err.status === 405 && /not mergeable/i.test(message)) computing = (await getPull(ref, number))?.mergeable === null;
        const outcome = refusedMergeOutcome(err.status, message, computing);
        if (outcome === null) throw err;
        return outcome;
      }
    },

    async requestReviewers(ref, number, reviewers) {
      const users = reviewers.users ?? [];
      const teams = reviewers.teams ?? [];
      if (users.length === 0 && teams.length === 0) return;
      await gh.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
        ...repoParams(ref),
        pull_number: number,
        reviewers: users,
        team_reviewers: teams,
      });
    },
  };
}
