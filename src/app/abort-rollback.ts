/** `/rollback abort [id] [--reason]`: stop cleanly; open revert PRs are closed and their branches deleted. */
import { isActive } from '../execution/state.ts';
import { parseTrackingState } from '../execution/tracking-issue.ts';
import { withdrawRevert } from '../execution/withdraw-revert.ts';
import { foldedText, foldedWaves } from '../execution/wave-records.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { decideAction, describeDecision } from './decide-action.ts';
import { resolveRollback } from './find-rollback.ts';
import { openRollback } from './open-rollback.ts';
import { replyOnce } from './reply.ts';

export async function abortRollback(env: CommandEnv, facts: CommentFacts, id: string | null, reason: string | null): Promise<void> {
  const port = env.client.port;
  // 1. Which rollback, and is there anything to stop?
  const found = await resolveRollback(port, facts.repo, facts.issueNumber, id);
  if (!found) return replyOnce(port, facts, `There is no rollback${id ? ` \`${id}\`` : ''} here to abort.`);
  if (!isActive(found.state)) return replyOnce(port, facts, `Rollback \`${found.state.id}\` is already \`${found.state.status}\`.`);
  // 2. Policy (abort is allowed even when paused by the shipped policy).
  const trigger = { kind: 'comment' as const, reason: reason ?? '', repo: `${facts.repo.owner}/${facts.repo.repo}`, number: facts.issueNumber, url: facts.commentUrl };
  const decision = await decideAction(env, { action: 'abort', state: found.state, actor: { login: facts.actor, isBot: facts.actorIsBot }, trigger });
  if (!decision.allow) return replyOnce(port, facts, `@${facts.actor}, you may not abort \`${found.state.id}\`.\n\n${describeDecision(decision)}`);
  // 3. Stop the run loop, then work on the freshest state.
  await env.runner.halt(found.state.id);
  const fresh = parseTrackingState((await port.getIssue(parseRepo(found.state.tracking.repo), found.state.tracking.number))?.body ?? '') ?? found.state;
  const ctx = openRollback(env, fresh);
  // 4. Close every open revert PR and delete its branch; merged reverts stay (say so).
  const closed: string[] = [];
  for (const step of fresh.steps) {
    if (['merged', 'verified'].includes(step.state)) continue;
    const url = await withdrawRevert(port, step);
    if (url) closed.push(url);
    await ctx.transition(step, 'aborted', { text: `Step ${step.repo} aborted${step.pr ? `; closed ${step.pr.url} and deleted \`${step.branch}\`` : ''}.`, outcome: 'aborted' });
  }
  const merged = fresh.steps.filter((s) => s.state === 'merged' || s.state === 'verified').map((s) => s.repo);
  // Finished waves whose entries were deferred are recorded here, so the ledger stays complete.
  const folded = foldedWaves(fresh);
  await ctx.record(
    {
      action: 'abort',
      actor: facts.actor,
      outcome: 'aborted',
      text: [
        `@${facts.actor} aborted rollback \`${fresh.id}\`${reason ? `: ${reason}` : ''}.`,
        closed.length ? `Closed: ${closed.join(', ')}.` : 'No revert pull request was open.',
        merged.length ? `Already merged reverts stay in place: ${merged.join(', ')}.` : '',
        '',
        ...foldedText(folded),
      ].join('\n').trim(),
      links: [{ rel: 'comment', url: facts.commentUrl }, ...folded.flatMap((f) => f.links)],
      details: { reason, closed, merged, waves: folded.map((f) => f.record) },
    },
    (s) => {
      s.status = 'aborted';
      s.pendingWaveEntries = [];
    },
  );
  if (facts.issueNumber !== fresh.tracking.number) await replyOnce(port, facts, `Rollback \`${fresh.id}\` aborted: ${fresh.tracking.url}`);
}
