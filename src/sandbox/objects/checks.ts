/** `status`, `simple-commit-status`, `check-run`, `check-suite` objects. */
import type { SandboxContext } from '../context.ts';
import type { CheckAnnotationState, CheckRunState, CheckSuiteState, StatusState } from '../state/model.ts';
import { integration } from './integration.ts';
import { repoOf } from './issue.ts';
import { isOpenPull, pullRequestMinimal } from './pull-request.ts';
import { repository } from './repository.ts';
import { userByLogin } from './simple-user.ts';
import { nodeId, repoApi, repoHtml } from './urls.ts';

export function status(ctx: SandboxContext, s: StatusState): Record<string, unknown> {
  const repo = repoOf(ctx, s.repo);
  const creator = ctx.state.accounts[s.creator];
  return {
    url: repoApi(ctx, repo.owner, repo.name, `/statuses/${s.sha}`),
    avatar_url: `${ctx.baseUrl}/avatars/u/${creator?.id ?? 0}?v=4`,
    id: s.id,
    node_id: nodeId('SC_', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: creator ? userByLogin(ctx, s.creator) : null,
  };
}

export function simpleCommitStatus(ctx: SandboxContext, s: StatusState): Record<string, unknown> {
  const { creator: _creator, ...rest } = status(ctx, s);
  return { ...rest, required: false };
}

/** Open PRs of the repo whose head is this sha (empty for closed ones, like GitHub). */
function pullsFor(ctx: SandboxContext, repoKey: string, sha: string): Record<string, unknown>[] {
  return ctx.state.pulls
    .filter((p) => p.repo === repoKey && p.headSha === sha && isOpenPull(ctx, p))
    .map((p) => pullRequestMinimal(ctx, p));
}

export function checkSuiteUrl(ctx: SandboxContext, suite: CheckSuiteState): string {
  const repo = repoOf(ctx, suite.repo);
  return repoApi(ctx, repo.owner, repo.name, `/check-suites/${suite.id}`);
}

export function checkRun(ctx: SandboxContext, r: CheckRunState): Record<string, unknown> {
  const repo = repoOf(ctx, r.repo);
  const url = repoApi(ctx, repo.owner, repo.name, `/check-runs/${r.id}`);
  return {
    id: r.id,
    head_sha: r.headSha,
    node_id: nodeId('CR_', r.id),
    external_id: r.externalId ?? '',
    url,
    html_url: repoHtml(ctx, repo.owner, repo.name, `/runs/${r.id}`),
    details_url: r.detailsUrl ?? repoHtml(ctx, repo.owner, repo.name, `/runs/${r.id}`),
    status: r.status,
    conclusion: r.conclusion,
    started_at: r.startedAt,
    completed_at: r.completedAt,
    output: {
      title: r.output.title,
      summary: r.output.summary,
      text: r.output.text,
      annotations_count: r.annotations?.length ?? 0,
      annotations_url: `${url}/annotations`,
    },
    name: r.name,
    check_suite: { id: r.suiteId },
    app: integration(ctx, r.appId),
    pull_requests: pullsFor(ctx, r.repo, r.headSha),
  };
}

export function checkSuite(ctx: SandboxContext, s: CheckSuiteState, headCommit: Record<string, unknown>): Record<string, unknown> {
  const repo = repoOf(ctx, s.repo);
  const runs = ctx.state.checkRuns.filter((r) => r.suiteId === s.id);
  return {
    id: s.id,
    node_id: nodeId('CS_', s.id),
    head_branch: s.headBranch,
    head_sha: s.headSha,
    status: s.status,
    conclusion: s.conclusion,
    url: checkSuiteUrl(ctx, s),
    before: s.before,
    after: s.after,
    pull_requests: pullsFor(ctx, s.repo, s.headSha),
    app: integration(ctx, s.appId),
    repository: repository(ctx, repo),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    head_commit: headCommit,
    latest_check_runs_count: runs.length,
    check_runs_url: `${checkSuiteUrl(ctx, s)}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

/** One annotation of a check run, as `GET …/check-runs/{id}/annotations` lists it. */
export function checkAnnotation(ctx: SandboxContext, repo: { owner: string; name: string }, run: CheckRunState, a: CheckAnnotationState): Record<string, unknown> {
  return {
    path: a.path,
    blob_href: repoHtml(ctx, repo.owner, repo.name, `/blob/${run.headSha}/${a.path}`),
    start_line: a.startLine,
    end_line: a.endLine,
    start_column: a.startColumn,
    end_column: a.endColumn,
    annotation_level: a.level,
    title: a.title,
    message: a.message,
    raw_details: a.rawDetails,
  };
}
