/**
 * A revert PR waiting for its checks merges as soon as GitHub's webhook says the last required check is green,
 * rather than after one more read of the PR and its checks: that read is a round trip on the rollback's
 * critical path, once per wave. The webhooks' results (CheckSightings, kept by the replica) only ever let a
 * step go ahead sooner; anything else (a red check, a sighting missing) is left to the read, as before.
 */
import type { CheckResult, PullInfo } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { RunContext } from './run-context.ts';
import type { StepState } from './state.ts';

/** What a step's last read found: its PR, the checks it must pass and their results then. */
export interface ChecksRead {
  readonly pr: PullInfo;
  readonly required: readonly string[];
  readonly checks: readonly CheckResult[];
}

export function rememberChecksRead(ctx: RunContext, step: StepState, read: ChecksRead): void {
  ctx.checksRead.set(step.key, read);
}

/**
 * The last read (its PR, to merge) when the webhooks have shown every required check green on the head the step waits for:
 * each check the last read showed for a required name (check run or status) has turned green since, and a
 * required name the read did not show yet has a green result. Null when anything is missing or not green.
 */
export function greenByWebhook(ctx: RunContext, step: StepState): ChecksRead | null {
  const seen = ctx.deps.checks;
  const last = ctx.checksRead.get(step.key);
  if (!seen || !last || !step.headSha || last.pr.headSha !== step.headSha || last.required.length === 0) return null;
  const sightings = seen.of(parseRepo(step.repo), step.headSha);
  for (const name of last.required) {
    const now = sightings.filter((s) => s.name === name);
    if (now.length === 0 || now.some((s) => s.state !== 'success')) return null;
    // What the read showed for this name (a check run, a status) must have been reported since, by that
    // object or a newer one: otherwise ask GitHub.
    const reported = (c: CheckResult): boolean => now.some((s) => s.source === c.source && (s.id ?? 0) >= (c.id ?? Infinity));
    if (last.checks.some((c) => c.name === name && !reported(c))) return null;
  }
  return last;
}

/**
 * The step's read of its PR and checks, unless the webhook that makes `greenByWebhook` true comes while the
 * read is on its way (a check suite's webhook, or the poll, woke the run a moment before the check run's): then
 * the run goes ahead at once and the read's answer is dropped.
 */
export async function readOrGreen<T>(ctx: RunContext, step: StepState, reading: Promise<T>): Promise<{ readonly read: T } | { readonly green: ChecksRead }> {
  const sightings = ctx.deps.checks;
  if (!sightings || !step.headSha || step.state !== 'checks_pending' || !ctx.state.decision.autoMerge) return { read: await reading };
  const read = reading.then((r) => ({ read: r }));
  for (;;) {
    const listen = sightings.next(parseRepo(step.repo), step.headSha);
    try {
      const first = await Promise.race([read, listen.seen.then(() => null)]);
      if (first) return first;
    } finally {
      listen.cancel();
    }
    const green = greenByWebhook(ctx, step);
    if (green) {
      read.catch(() => undefined);
      return { green };
    }
  }
}

/**
 * While `until` is pending (the other steps of a pass advancing), listens for the webhooks that show the step's
 * checks green: true as soon as they do, false once `until` settles first. A step nothing was reported about
 * reads nothing, yet merges on its green check without waiting for the rest of the pass.
 */
export async function greenWhile(ctx: RunContext, step: StepState, until: Promise<unknown>): Promise<boolean> {
  const sightings = ctx.deps.checks;
  if (!sightings || !step.headSha || !ctx.state.decision.autoMerge) return false;
  const over = until.then(
    () => false,
    () => false,
  );
  for (;;) {
    const listen = sightings.next(parseRepo(step.repo), step.headSha);
    try {
      if (!(await Promise.race([over, listen.seen.then(() => true)]))) return false;
    } finally {
      listen.cancel();
    }
    if (greenByWebhook(ctx, step)) return true;
  }
}
