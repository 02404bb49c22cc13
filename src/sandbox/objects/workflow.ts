/** `workflow` and `workflow-run` objects. */
import type { SandboxContext } from '../context.ts';
import type { RepoState, WorkflowRunState, WorkflowState } from '../state/model.ts';
import { repoOf } from './issue.ts';
import { repository } from './repository.ts';
import { userByLogin } from './simple-user.ts';
import { nodeId, repoApi, repoHtml } from './urls.ts';

export function workflow(ctx: SandboxContext, repo: RepoState, w: WorkflowState): Record<string, unknown> {
  return {
    id: w.id,
    node_id: nodeId('W_', w.id),
    name: w.name,
    path: `.github/workflows/${w.file}`,
    state: 'active',
    created_at: w.createdAt,
    updated_at: w.createdAt,
    url: repoApi(ctx, repo.owner, repo.name, `/actions/workflows/${w.id}`),
    html_url: repoHtml(ctx, repo.owner, repo.name, `/blob/${repo.defaultBranch}/.github/workflows/${w.file}`),
    badge_url: repoHtml(ctx, repo.owner, repo.name, `/workflows/${w.name}/badge.svg`),
  };
}

export function workflowRun(ctx: SandboxContext, run: WorkflowRunState, headCommit: Record<string, unknown> | null): Record<string, unknown> {
  const repo = repoOf(ctx, run.repo);
  const wf = repo.workflows.find((w) => w.id === run.workflowId);
  const url = repoApi(ctx, repo.owner, repo.name, `/actions/runs/${run.id}`);
  const repoObj = repository(ctx, repo);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WFR_', run.id),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: `.github/workflows/${wf?.file ?? 'unknown.yml'}`,
    display_title: run.name,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    check_suite_id: run.id,
    check_suite_node_id: nodeId('CS_', run.id),
    url,
    html_url: repoHtml(ctx, repo.owner, repo.name, `/actions/runs/${run.id}`),
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    actor: userByLogin(ctx, run.actor),
    triggering_actor: userByLogin(ctx, run.actor),
    run_started_at: run.runStartedAt,
    jobs_url: `${url}/jobs`,
    logs_url: `${url}/logs`,
    check_suite_url: repoApi(ctx, repo.owner, repo.name, `/check-suites/${run.id}`),
    artifacts_url: `${url}/artifacts`,
    cancel_url: `${url}/cancel`,
    rerun_url: `${url}/rerun`,
    previous_attempt_url: null,
    workflow_url: repoApi(ctx, repo.owner, repo.name, `/actions/workflows/${run.workflowId}`),
    head_commit: headCommit,
    repository: repoObj,
    head_repository: repoObj,
  };
}
