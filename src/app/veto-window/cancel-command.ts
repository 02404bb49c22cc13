/**
 * `/rollback cancel [rb-id] [--reason "…"]`: stops an announced automatic revert during its veto
 * window. Commented on the culprit PR (or on the pending revert's issue), by the PR's author or
 * anyone with write access to its repository. The ledger records who stopped it and why.
 */
import type { CommandEnv, CommentFacts } from '../command-env.ts';
import { mdText } from '../../shared/markdown.ts';
import { parseRepo, repoName } from '../../shared/repo-name.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { replyOnce } from '../reply.ts';
import { outcomeOf } from './announce-revert.ts';
import { cancelWindow } from './close-window.ts';
import { listPending, type FoundPending } from './pending-revert.ts';

const WRITERS = new Set(['write', 'maintain', 'admin']);

export async function cancelPendingRevert(env: CommandEnv, facts: CommentFacts, id: string | null, reason: string | null): Promise<void> {
  const port = env.client.port;
  // 1. Which window: the one named, else the one of this PR (or of this pending-revert issue).
  const here = repoName(facts.repo).toLowerCase();
  const all = await listPending(port, { owner: facts.repo.owner, repo: CONFIG_REPO }, env.trust, 'all');
  const matches = (p: FoundPending) =>
    id ? p.record.id === id : (p.record.culprit.repo.toLowerCase() === here && p.record.culprit.number === facts.issueNumber) || (repoName(p.issue).toLowerCase() === here && p.issue.number === facts.issueNumber);
  const candidates = all.filter(matches);
  const found = candidates.find((p) => p.issue.state === 'open') ?? candidates[0];
  if (!found) return replyOnce(port, facts, id ? `There is no announced automatic revert \`${id}\` in this org.` : 'There is no announced automatic revert of this pull request to cancel. `/rollback abort` stops a rollback that has started.');
  if (found.issue.state === 'closed') {
    const outcome = await outcomeOf(env, found);
    return replyOnce(port, facts, outcome === 'started' ? `The veto window of \`${found.record.id}\` has passed and the automatic revert has started: comment \`/rollback abort ${found.record.id}\` on its tracking issue to stop it.` : `The automatic revert \`${found.record.id}\` was already cancelled: ${found.issue.htmlUrl}`);
  }
  // 2. Who may: the culprit's author, or a writer of its repository.
  const culprit = parseRepo(found.record.culprit.repo);
  const permission = await port.getPermission(culprit, facts.actor);
  const isAuthor = facts.actor.toLowerCase() === found.record.culprit.author.toLowerCase();
  if (!isAuthor && !WRITERS.has(permission)) {
    return replyOnce(port, facts, `@${mdText(facts.actor)} cannot cancel this automatic revert: only @${mdText(found.record.culprit.author)} (the author) or someone with write access to ${mdText(found.record.culprit.repo)} can (you have ${permission} access).`);
  }
  // 3. Cancel, on the ledger, and say so.
  const why = `@${facts.actor} commented \`/rollback cancel\` on ${facts.commentUrl}${reason ? `: ${reason}` : ''}`;
  await cancelWindow(env, found, { actor: facts.actor, via: 'command', why });
  await replyOnce(port, facts, `Cancelled: the automatic revert \`${found.record.id}\` of ${found.record.culprit.url} will not happen. Recorded in ${found.issue.htmlUrl}.`);
}
