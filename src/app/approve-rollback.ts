/** `/rollback approve [id]`: record an approval, re-evaluate the policy, start when allowed. */
import type { DecisionSummary, RollbackState } from '../execution/state.ts';
import type { RunContext } from '../execution/run-context.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { openTrackingState } from '../execution/tracking-issue.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { decideAction } from './decide-action.ts';
import { describeDecision } from '../execution/describe-decision.ts';
import { resolveRollback } from './find-rollback.ts';
import { openRollback } from './open-rollback.ts';
import { replyOnce } from './reply.ts';
import { finishRollback, registryOf } from '../registry/registry-locks.ts';
import { ActorAccess } from './actor-access.ts';
import { refuseUnreadableRollback } from './guard-visibility.ts';

export async function approveRollback(env: CommandEnv, facts: CommentFacts, id: string | null): Promise<void> {
  const port = env.client.port;
  // 1. Which rollback.
  const found = await resolveRollback(port, env.trust, facts.repo, facts.issueNumber, id);
  if (!found) return replyOnce(port, facts, `There is no rollback${id ? ` \`${id}\`` : ''} here to approve. Comment on the tracking issue, or name the id: \`/rollback approve rb-…\`.`);
  const state = found.state;
  // Nothing of a rollback is shown to, or done for, someone who cannot read every repository it touches.
  const access = new ActorAccess(port, facts.actor, facts.actorIsBot);
  const hidden = await refuseUnreadableRollback(access, found.state);
  if (hidden) return replyOnce(port, facts, hidden);
  if (state.status !== 'awaiting_approval') return replyOnce(port, facts, `Rollback \`${state.id}\` is \`${state.status}\`; it does not wait for an approval.`);
  const ctx = openRollback(env, state);
  // 2. Self-approval is never possible, whatever the policy says; the refusal is on the ledger too.
  if (facts.actor === state.requestedBy) {
    await ctx.record({ action: 'approval', actor: facts.actor, outcome: 'rejected', text: `Approval by @${facts.actor} refused: nobody can approve their own rollback.`, links: [{ rel: 'comment', url: facts.commentUrl }] });
    return replyOnce(port, facts, `@${facts.actor}, you requested rollback \`${state.id}\`; someone else must approve it.`);
  }
  // A redelivered approval (or a crash after recording it) goes straight to the re-evaluation.
  const previous = state.approvals.find((a) => a.login === facts.actor);
  const trigger = { kind: 'comment' as const, reason: '', repo: `${facts.repo.owner}/${facts.repo.repo}`, number: facts.issueNumber, url: facts.commentUrl };
  const at = previous?.at ?? env.now().toISOString();
  if (!previous) {
    // 3. May this actor approve? The policy's `approve` decision says.
    const candidate = { ...state, approvals: [...state.approvals, { login: facts.actor, at }] };
    const mayApprove = await decideAction(env, { action: 'approve', state: candidate, actor: { login: facts.actor, isBot: facts.actorIsBot }, trigger, access });
    if (!mayApprove.allow) {
      await ctx.record({ action: 'approval', actor: facts.actor, outcome: 'rejected', text: `Approval by @${facts.actor} rejected.\n\n${describeDecision(mayApprove)}`, links: [{ rel: 'comment', url: facts.commentUrl }] });
      return replyOnce(port, facts, `@${facts.actor}, your approval of \`${state.id}\` was not accepted.\n\n${describeDecision(mayApprove)}`);
    }
    await ctx.record({ action: 'approval', actor: facts.actor, outcome: 'accepted', text: `@${facts.actor} approved rollback \`${state.id}\`.`, links: [{ rel: 'comment', url: facts.commentUrl }] }, (s) => s.approvals.push({ login: facts.actor, at }));
  }
  // 4. Re-evaluate the rollback itself with the approvals so far.
  const decision = await decideAction(env, { action: 'rollback', state, actor: { login: state.requestedBy, isBot: false }, trigger: { ...trigger, reason: state.reason ?? '' } });
  // The same approver again, and the policy still waits: nothing new to record.
  if (previous && decision.pending && sameVerdict(decision, state.decision)) return replyOnce(port, facts, `@${facts.actor} already approved rollback \`${state.id}\`.\n\n${describeDecision(decision)}`);
  await recordDecision(env, ctx, decision, { approver: facts.actor, at });
}

/** Records the re-evaluated decision after an approval, and starts the rollback when it is allowed. */
async function recordDecision(env: CommandEnv, ctx: RunContext, decision: DecisionSummary, p: { approver: string; at: string }): Promise<void> {
  const { state } = ctx;
  await ctx.record({ action: 'decision', actor: p.approver, outcome: decision.allow ? 'allowed' : decision.pending ? 'pending' : 'denied', text: describeDecision(decision), withDecision: true }, (s) => {
    s.decision = decision;
    if (decision.allow) {
      s.status = 'running';
      s.timings.approvedAt = p.at;
    } else if (!decision.pending) s.status = 'denied';
  });
  if (decision.allow) env.runner.ensure(env.client.installationId, state);
  else if (!decision.pending) await finishRollback(registryOf(env.client.port, env.trust, state.configRepo), { id: state.id, status: 'denied', now: env.now() });
}

/**
 * The reconciler's half of an approval whose handling stopped after its ledger entry (a crash, a
 * restart): the approvals the signed ledger holds but the state lacks are added, and the policy is
 * asked again, exactly as the approval would have done. True when there was one to finish.
 */
export async function finishRecordedApprovals(env: CommandEnv, seen: RollbackState): Promise<boolean> {
  // Read again: a command may have moved the rollback on since the reconciler listed it.
  const issue = await env.client.port.getIssue(parseRepo(seen.tracking.repo), seen.tracking.number);
  const opened = issue ? openTrackingState(issue, env.trust) : null;
  if (!opened?.ok || opened.state.status !== 'awaiting_approval') return false;
  const state = opened.state;
  const ctx = openRollback(env, state);
  await ctx.ledger.load(state);
  if (ctx.ledger.ended) return false;
  // Accepted approvals after the last decision: the policy has not been asked with them yet.
  const entries = ctx.ledger.recorded();
  const decided = Math.max(0, ...entries.filter((e) => e.action === 'decision' || e.action === 'requested').map((e) => e.seq));
  const unsettled = entries.filter((e) => e.action === 'approval' && e.outcome === 'accepted' && e.seq > decided);
  const last = unsettled.at(-1);
  if (!last) return false;
  const have = new Set(state.approvals.map((a) => a.login));
  const missing = unsettled.filter((e) => !have.has(e.actor));
  env.log.info({ rollback: state.id, approvers: unsettled.map((e) => e.actor) }, 'finishing an approval recorded before a restart');
  if (missing.length) {
    await ctx.save((s) => {
      for (const e of missing) s.approvals.push({ login: e.actor, at: e.at });
    });
  }
  const trigger = { kind: 'comment' as const, reason: state.reason ?? '', repo: state.tracking.repo, number: state.tracking.number, url: state.tracking.url };
  const decision = await decideAction(env, { action: 'rollback', state, actor: { login: state.requestedBy, isBot: false }, trigger });
  await recordDecision(env, ctx, decision, { approver: last.actor, at: last.at });
  return true;
}

function sameVerdict(a: DecisionSummary, b: DecisionSummary): boolean {
  return a.allow === b.allow && a.pending === b.pending && a.approvalsRequired === b.approvalsRequired && JSON.stringify(a.reasons) === JSON.stringify(b.reasons);
}
