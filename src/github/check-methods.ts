/** Checks, branch protection, workflows, permissions and team membership methods of the Octokit-backed port. */
import { GitHubError } from './errors.ts';
import { type GitHubCalls, repoParams } from './call-github.ts';
import { combineChecks } from './combine-checks.ts';
import { matchesWorkflow, toWorkflowRun } from './map-objects.ts';
import type { GitHubPort, Permission } from './port.ts';
import type { WireCheckRun, WireStatus, WireWorkflowRun } from './wire.ts';

type CheckMethods = Pick<GitHubPort, 'listChecks' | 'getRequiredChecks' | 'listWorkflowRuns' | 'cancelWorkflowRun' | 'dispatchWorkflow' | 'getPermission' | 'isTeamMember'>;

const STATUSES_PER_PAGE = 100;
const MAX_STATUS_PAGES = 20;

export function checkMethods(gh: GitHubCalls): CheckMethods {
  return {
    async listChecks(ref, gitRef) {
      // Check runs and commit statuses at the same time: a wave's merge waits for this answer.
      const readStatuses = async (): Promise<WireStatus[]> => {
        // The combined status is one object whose `statuses` are paginated; walk the pages by hand.
        const statuses: WireStatus[] = [];
        for (let page = 1; page <= MAX_STATUS_PAGES; page++) {
          const res = await gh.request('GET /repos/{owner}/{repo}/commits/{ref}/status', { ...repoParams(ref), ref: gitRef, per_page: STATUSES_PER_PAGE, page });
          const batch = (res.data as { statuses?: WireStatus[] }).statuses ?? [];
          statuses.push(...batch);
          if (batch.length < STATUSES_PER_PAGE) break;
        }
        return statuses;
      };
      const [runs, statuses] = await Promise.all([gh.paginate<WireCheckRun>('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...repoParams(ref), ref: gitRef, filter: 'latest' }), readStatuses()]);
      return combineChecks(runs, statuses);
    },

    async getRequiredChecks(ref, branch) {
      // 404: the branch is not protected or has no required status checks.
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks', { ...repoParams(ref), branch });
      if (res === null) return null;
      const data = res.data as { strict?: boolean; contexts?: string[]; checks?: Array<{ context: string }> };
      const contexts = [...new Set([...(data.contexts ?? []), ...(data.checks ?? []).map((c) => c.context)])];
      return { strict: data.strict ?? false, contexts };
    },

    async listWorkflowRuns(ref, query) {
      const params: Record<string, unknown> = { ...repoParams(ref) };
      if (query.headSha !== undefined) params.head_sha = query.headSha;
      if (query.branch !== undefined) params.branch = query.branch;
      if (query.event !== undefined) params.event = query.event;
      const runs = await gh.paginate<WireWorkflowRun>('GET /repos/{owner}/{repo}/actions/runs', params);
      const workflow = query.workflow;
      return (workflow === undefined ? runs : runs.filter((r) => matchesWorkflow(r, workflow))).map(toWorkflowRun);
    },

    async cancelWorkflowRun(ref, runId) {
      try {
        await gh.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', { ...repoParams(ref), run_id: runId });
      } catch (err) {
        // 409: the run completed meanwhile, which is what cancelling wanted too.
        if (!(err instanceof GitHubError && err.status === 409)) throw err;
      }
    },

    async dispatchWorkflow(ref, workflow, gitRef, inputs) {
      await gh.request('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', {
        ...repoParams(ref),
        workflow_id: workflow,
        ref: gitRef,
        inputs,
      });
    },

    async getPermission(ref, login) {
      const res = await gh.requestOrNull('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repoParams(ref), username: login });
      if (res === null) return 'none';
      return toPermission((res.data as { permission?: string }).permission);
    },

    async isTeamMember(org, teamSlug, login) {
      const res = await gh.requestOrNull('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', { org, team_slug: teamSlug, username: login });
      return res !== null && (res.data as { state?: string }).state === 'active';
    },
  };
}

export function toPermission(p: string | undefined): Permission {
  if (p === 'admin') return 'admin';
  if (p === 'write' || p === 'maintain') return 'write';
  if (p === 'read' || p === 'triage') return 'read';
  return 'none';
}
