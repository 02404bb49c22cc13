/** `/rollback retry [id]`: resume a stopped rollback from the wave where it stopped. */
import { STOPPING_STATES, stepsOfWave, type StepState, type StepStatus } from '../execution/state.ts';
import { mdText } from '../shared/markdown.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { decideAction } from './decide-action.ts';
import { describeDecision } from '../execution/describe-decision.ts';
import { resolveRollback } from './find-rollback.ts';
import { openRollback } from './open-rollback.ts';
import { replyOnce } from './reply.ts';
import { ActorAccess } from './actor-access.ts';
import { refuseUnreadableRollback } from './guard-visibility.ts';

/** Where each stopping state resumes: the point before the effect that failed. */
const RESUME_AT: Partial<Record<StepStatus, StepStatus>> = {
  conflict: 'planned',
  failed: 'planned',
  checks_failed: 'pr_open',
  merge_blocked: 'mergeable',
  compensation_failed: 'planned',
};

/** A compensation that failed after the merge resumes at `merged`, so the after-revert compensations run again. */
function resumeAt(step: StepState): StepStatus | undefined {
  if (step.state === 'compensation_failed' && step.mergedAt) return 'merged';
  return RESUME_AT[step.state];
}

export async function retryRollback(env: CommandEnv, facts: CommentFacts, id: string | null): Promise<void> {
  const port = env.client.port;
  const found = await resolveRollback(port, env.trust, facts.repo, facts.issueNumber, id);
  if (!found) return replyOnce(port, facts, `There is no rollback${id ? ` \`${id}\`` : ''} here to retry.`);
  const state = found.state;
  // Nothing of a rollback is shown to, or done for, someone who cannot read every repository it touches.
  const access = new ActorAccess(port, facts.actor, facts.actorIsBot);
  const hidden = await refuseUnreadableRollback(access, found.state);
  if (hidden) return replyOnce(port, facts, hidden);
  if (state.status !== 'stopped') return replyOnce(port, facts, `Rollback \`${state.id}\` is \`${state.status}\`; only a stopped rollback can be retried.`);
  const trigger = { kind: 'comment' as const, reason: '', repo: `${facts.repo.owner}/${facts.repo.repo}`, number: facts.issueNumber, url: facts.commentUrl };
  const decision = await decideAction(env, { action: 'retry', state, actor: { login: facts.actor, isBot: facts.actorIsBot }, trigger, access });
  if (!decision.allow) return replyOnce(port, facts, `@${facts.actor}, you may not retry \`${state.id}\`.\n\n${describeDecision(decision)}`);
  const ctx = openRollback(env, state);
  const reset = stepsOfWave(state, state.wave).filter((s) => STOPPING_STATES.includes(s.state));
  await ctx.record(
    { action: 'retry', actor: facts.actor, outcome: 'resumed', text: `@${facts.actor} retried rollback \`${state.id}\` from wave ${state.wave + 1}: ${reset.map((s) => `${mdText(s.repo)} (\`${s.state}\`)`).join(', ')}.`, links: [{ rel: 'comment', url: facts.commentUrl }] },
    (s) => {
      for (const step of stepsOfWave(s, s.wave)) {
        const to = resumeAt(step);
        if (!to) continue;
        step.state = to;
        step.detail = null;
        step.checksSince = null;
        // A failed compensation gets a fresh set of attempts; runs of the failed ones are never taken for the new dispatch.
        for (const c of step.compensations) if (c.state === 'failed') Object.assign(c, { state: 'pending', runId: null, dispatchedAt: null, attempt: 0, notBefore: null });
      }
      s.status = 'running';
    },
  );
  env.runner.ensure(env.client.installationId, state);
  if (facts.issueNumber !== state.tracking.number) await replyOnce(port, facts, `Retrying rollback \`${state.id}\`: ${state.tracking.url}`);
}
