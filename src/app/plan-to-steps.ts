/** Turns the planner's waves into the executor's step states (pure). */
import type { StepState, RevertTarget, CompensationRef } from '../execution/state.ts';
import type { PlanStep, RollbackPlan } from '../planning/types.ts';
import { parseDuration } from '../config/duration.ts';
import { pullKey } from '../planning/parse-target.ts';

/** Contract durations were validated when loaded; the fallback only guards hand-made plans. */
function durationMs(text: string, fallback: number): number {
  return parseDuration(text) ?? fallback;
}

/** GitHub's names of a plan's PRs (by pullKey): head branch and GraphQL id, kept in the steps for GitHub's revert. */
export type PullRefs = ReadonlyMap<string, { readonly headRef: string; readonly nodeId: string }>;

export function planToSteps(plan: RollbackPlan, rollbackId: string, pullRefs: PullRefs = new Map()): StepState[] {
  const steps: StepState[] = [];
  let n = 0;
  for (const wave of plan.waves) {
    wave.steps.forEach((step, index) => {
      n += 1;
      steps.push({
        key: `${wave.index}.${index}`,
        wave: wave.index,
        index,
        repo: step.repo,
        service: step.service,
        kind: step.action,
        targets: targetsOf(step, pullRefs),
        mergeMethod: step.mergeMethod,
        waitForChecks: [...step.waitForChecks],
        owners: [...step.owners],
        labels: [...step.labels],
        checksTimeoutMs: durationMs(step.checksTimeout, 1_800_000),
        checksSince: null,
        compensations: step.compensations.map(
          (c): CompensationRef => ({
            id: c.id,
            workflow: c.workflow,
            ref: c.ref,
            inputs: { ...c.inputs },
            when: c.when,
            idempotencyKey: c.idempotencyKey.replaceAll('{rollback_id}', rollbackId).replaceAll('{repo}', step.repo).replaceAll('{id}', c.id),
            onFailure: c.onFailure,
            retries: c.retry.attempts,
            state: 'pending',
            runId: null,
            dispatchedAt: null,
            attempt: 0,
            backoffMs: durationMs(c.retry.backoff, 30_000),
            maxBackoffMs: durationMs(c.retry.maxBackoff, 600_000),
            timeoutMs: durationMs(c.timeout, 900_000),
            notBefore: null,
            pastRuns: [],
          }),
        ),
        state: 'planned',
        branch: `unwind/${rollbackId}/${n}`,
        pr: null,
        headSha: null,
        mergeSha: null,
        detail: null,
        drift: [],
        startedAt: null,
        prOpenedAt: null,
        mergedAt: null,
        verifiedAt: null,
        bytesFetched: null,
      });
    });
  }
  return steps;
}

function targetsOf(step: PlanStep, pullRefs: PullRefs): RevertTarget[] {
  return step.reverts.map((r) => {
    const pull = step.pulls.find((p) => p.mergeCommitSha === r.sha);
    if (pull) return { kind: 'pull', number: pull.number, title: pull.title, url: pull.url ?? `${step.repo}#${pull.number}`, sha: r.sha, author: pull.author, mergedAt: pull.mergedAt, files: [...pull.files], ...pullRefs.get(pullKey(step.repo, pull.number)) };
    const commit = step.commits.find((c) => c.sha === r.sha);
    return { kind: 'commit', number: null, title: commit?.message.split('\n')[0] ?? r.sha, url: r.source, sha: r.sha, author: null, mergedAt: commit?.committedAt ?? null, files: [...(commit?.files ?? [])] };
  });
}
