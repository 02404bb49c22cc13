/** `/rollback abort [id] [--reason]`: stop cleanly; open revert PRs are closed and their branches deleted. */
import { isActive } from '../execution/state.ts';
import { openTrackingState } from '../execution/tracking-issue.ts';
import { abortRun } from '../execution/abort-run.ts';
import { mdText } from '../shared/markdown.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { decideAction } from './decide-action.ts';
import { describeDecision } from '../execution/describe-decision.ts';
import { resolveRollback } from './find-rollback.ts';
import { openRollback } from './open-rollback.ts';
import { replyOnce } from './reply.ts';
import { finishRollback, registryOf } from '../registry/registry-locks.ts';
import { ActorAccess } from './actor-access.ts';
import { refuseUnreadableRollback } from './guard-visibility.ts';

export async function abortRollback(env: CommandEnv, facts: CommentFacts, id: string | null, reason: string | null): Promise<void> {
  const port = env.client.port;
  // 1. Which rollback, and is there anything to stop?
  const found = await resolveRollback(port, env.trust, facts.repo, facts.issueNumber, id);
  if (!found) return replyOnce(port, facts, `There is no rollback${id ? ` \`${id}\`` : ''} here to abort.`);
  // Nothing of a rollback is shown to, or done for, someone who cannot read every repository it touches.
  const access = new ActorAccess(port, facts.actor, facts.actorIsBot);
  const hidden = await refuseUnreadableRollback(access, found.state);
  if (hidden) return replyOnce(port, facts, hidden);
  if (!isActive(found.state)) return replyOnce(port, facts, `Rollback \`${found.state.id}\` is already \`${found.state.status}\`.`);
  // 2. Policy (abort is allowed even when paused by the shipped policy).
  const trigger = { kind: 'comment' as const, reason: reason ?? '', repo: `${facts.repo.owner}/${facts.repo.repo}`, number: facts.issueNumber, url: facts.commentUrl };
  const decision = await decideAction(env, { action: 'abort', state: found.state, actor: { login: facts.actor, isBot: facts.actorIsBot }, trigger, access });
  if (!decision.allow) return replyOnce(port, facts, `@${facts.actor}, you may not abort \`${found.state.id}\`.\n\n${describeDecision(decision)}`);
  // 3. Stop the run loop, here or on the replica driving it, then work on the freshest state, if it is still Unwind's (signed) own.
  await env.runner.takeOver(env.client, found.state);
  const issue = await port.getIssue(parseRepo(found.state.tracking.repo), found.state.tracking.number);
  const reread = issue ? openTrackingState(issue, env.trust) : null;
  const fresh = reread?.ok ? reread.state : found.state;
  // 4. Close every open revert PR and delete its branch; merged reverts stay (the entry says so).
  await abortRun(openRollback(env, fresh), {
    actor: facts.actor,
    headline: `@${facts.actor} aborted rollback \`${fresh.id}\`${reason ? `: ${mdText(reason)}` : ''}.`,
    links: [{ rel: 'comment', url: facts.commentUrl }],
    details: { reason },
  });
  env.metrics?.rollbacksFinished.inc({ status: 'aborted' });
  await finishRollback(registryOf(port, env.trust, fresh.configRepo), { id: fresh.id, status: 'aborted', now: env.now(), tracking: fresh.tracking });
  if (facts.issueNumber !== fresh.tracking.number) await replyOnce(port, facts, `Rollback \`${fresh.id}\` aborted: ${fresh.tracking.url}`);
}
