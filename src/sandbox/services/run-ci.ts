/** The scriptable CI: when a commit lands, report the repo's configured checks (check runs or statuses). */
import type { SandboxContext } from '../context.ts';
import type { RepoState } from '../state/model.ts';
import { ACTIONS_APP_ID } from '../state/initial-state.ts';
import { createCheckRun, updateCheckRun } from './check-runs.ts';
import { repoKey } from './repo-key.ts';
import { createStatus } from './statuses.ts';

const CI_LOGIN = 'github-actions[bot]';
const started = new WeakMap<SandboxContext, Set<string>>();

export function runCI(ctx: SandboxContext, repo: RepoState, sha: string): void {
  const key = repoKey(repo);
  for (const check of repo.ci) {
    const via = check.via ?? 'check_run';
    const already =
      via === 'status'
        ? ctx.state.statuses.some((s) => s.repo === key && s.sha === sha && s.context === check.name && s.creator === CI_LOGIN)
        : ctx.state.checkRuns.some((r) => r.repo === key && r.headSha === sha && r.name === check.name && r.appId === ACTIONS_APP_ID);
    let seen = started.get(ctx);
    if (!seen) started.set(ctx, (seen = new Set()));
    const tag = `${key}:${sha}:${via}:${check.name}`;
    if (already || seen.has(tag)) continue;
    seen.add(tag);
    const delay = check.delayMs ?? 0;
    ctx.jobs.run(`ci ${key} ${check.name}`, async () => {
      if (via === 'status') {
        await createStatus(ctx, repo, CI_LOGIN, { sha, state: 'pending', context: check.name, description: 'Running' });
        ctx.jobs.later(`ci ${key} ${check.name} result`, delay, async () => {
          if (ctx.closing) return;
          await createStatus(ctx, repo, CI_LOGIN, { sha, state: check.result, context: check.name, description: check.result === 'success' ? 'Passed' : 'Failed' });
        });
        return;
      }
      const run = await createCheckRun(ctx, repo, ACTIONS_APP_ID, CI_LOGIN, { name: check.name, headSha: sha, status: 'in_progress' });
      ctx.jobs.later(`ci ${key} ${check.name} result`, delay, async () => {
        if (ctx.closing) return;
        await updateCheckRun(ctx, repo, run, CI_LOGIN, { status: 'completed', conclusion: check.result });
      });
    });
  }
}
