/** The scriptable CI: when a commit lands, report the repo's configured checks (check runs or statuses). */
import type { SandboxContext } from '../context.ts';
import type { RepoState } from '../state/model.ts';
import type { CIScriptCheck } from '../types.ts';
import { ACTIONS_APP_ID } from '../state/initial-state.ts';
import { createCheckRun, updateCheckRun } from './check-runs.ts';
import { repoKey } from './repo-key.ts';
import { createStatus } from './statuses.ts';

const CI_LOGIN = 'github-actions[bot]';
const started = new WeakMap<SandboxContext, Set<string>>();

/** Starts every configured check on `sha` (all runs of the suite exist before any completes), once per commit; `branch`: the push that landed it. */
export function runCI(ctx: SandboxContext, repo: RepoState, sha: string, branch?: string): void {
  const key = repoKey(repo);
  let seen = started.get(ctx);
  if (!seen) started.set(ctx, (seen = new Set()));
  const todo: CIScriptCheck[] = [];
  for (const check of repo.ci) {
    const via = check.via ?? 'check_run';
    const tag = `${key}:${sha}:${via}:${check.name}`;
    const already =
      via === 'status'
        ? ctx.state.statuses.some((s) => s.repo === key && s.sha === sha && s.context === check.name && s.creator === CI_LOGIN)
        : ctx.state.checkRuns.some((r) => r.repo === key && r.headSha === sha && r.name === check.name && r.appId === ACTIONS_APP_ID);
    if (already || seen.has(tag)) continue;
    seen.add(tag);
    todo.push(check);
  }
  if (todo.length === 0) return;
  // A check's delay counts from the push, as a CI's does: creating the runs first does not lengthen it.
  const pushedAt = performance.now();
  ctx.jobs.run(`ci ${key} ${sha.slice(0, 7)}`, async () => {
    const finishers: Array<{ delay: number; name: string; finish: () => Promise<void> }> = [];
    for (const check of todo) {
      if ((check.via ?? 'check_run') === 'status') {
        await createStatus(ctx, repo, CI_LOGIN, { sha, state: 'pending', context: check.name, description: 'Running' });
        finishers.push({
          delay: check.delayMs ?? 0,
          name: check.name,
          finish: async () => {
            await createStatus(ctx, repo, CI_LOGIN, { sha, state: check.result, context: check.name, description: check.result === 'success' ? 'Passed' : 'Failed' });
          },
        });
      } else {
        const run = await createCheckRun(ctx, repo, ACTIONS_APP_ID, CI_LOGIN, { name: check.name, headSha: sha, status: 'in_progress' }, branch);
        finishers.push({
          delay: check.delayMs ?? 0,
          name: check.name,
          finish: async () => {
            await updateCheckRun(ctx, repo, run, CI_LOGIN, { status: 'completed', conclusion: check.result });
          },
        });
      }
    }
    for (const f of finishers) {
      ctx.jobs.later(`ci ${key} ${f.name} result`, Math.max(0, f.delay - (performance.now() - pushedAt)), async () => {
        if (!ctx.closing) await f.finish();
      });
    }
  });
}
