/**
 * Ends a veto window, once: cancelled (a command, the label, the PR's marker, a green trigger) or
 * gone ahead (the automatic rollback started). The outcome is a signed ledger entry on the pending
 * revert's issue, which is then closed; the culprit PR is told.
 */
import { mdText } from '../../shared/markdown.ts';
import { parseRepo } from '../../shared/repo-name.ts';
import type { CommandEnv } from '../command-env.ts';
import { findRollbackById } from '../find-rollback.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { revertCulprit } from '../auto-revert.ts';
import { appendPendingEntry } from './pending-ledger.ts';
import type { FoundPending } from './pending-revert.ts';

export type CancelVia = 'command' | 'label' | 'marker' | 'fixed';

export async function cancelWindow(env: CommandEnv, found: FoundPending, c: { actor: string; via: CancelVia; why: string }): Promise<void> {
  const port = env.client.port;
  const r = found.record;
  const configRepo = { owner: found.issue.owner, repo: found.issue.repo };
  await appendPendingEntry(
    { port, repo: configRepo, issue: found.issue.number, trust: env.trust, id: r.id, now: env.now() },
    { action: 'abort', actor: c.actor, outcome: 'cancelled', text: `Automatic revert of ${r.culprit.url} cancelled: ${mdText(c.why)}.`, details: { via: c.via, by: c.actor, why: c.why }, links: [{ rel: 'origin', url: r.culprit.url }] },
  );
  await port.createComment(parseRepo(r.culprit.repo), r.culprit.number, `The automatic revert of this pull request (\`${r.id}\`) is cancelled: ${mdText(c.why)}. Nothing was reverted. Pending revert: ${found.issue.htmlUrl}`);
  await port.updateIssue(configRepo, found.issue.number, { state: 'closed' });
  env.vetoWindows?.forget(r.id);
}

export async function goAhead(env: CommandEnv, found: FoundPending): Promise<void> {
  const port = env.client.port;
  const r = found.record;
  const repo = parseRepo(r.culprit.repo);
  const pull = await port.getPull(repo, r.culprit.number);
  if (!pull) throw new Error(`the culprit ${r.culprit.repo}#${r.culprit.number} of ${r.id} is no longer visible`);
  // The rollback id is the window's: a crash after this start finds the same rollback again.
  await revertCulprit(env, { id: r.id, repo, pull, reason: r.reason, url: r.trigger.url });
  const tracked = await findRollbackById(port, { owner: repo.owner, repo: CONFIG_REPO }, env.trust, r.id);
  const configRepo = { owner: found.issue.owner, repo: found.issue.repo };
  await appendPendingEntry(
    { port, repo: configRepo, issue: found.issue.number, trust: env.trust, id: r.id, now: env.now() },
    {
      action: 'status',
      actor: env.botLogin,
      outcome: 'reverting',
      text: `The veto window of ${r.culprit.url} passed without a veto: the automatic revert started${tracked ? `, tracked in ${tracked.state.tracking.url}` : ''}.`,
      details: { deadline: r.deadline, tracking: tracked?.state.tracking ?? null, status: tracked?.state.status ?? null },
      links: [{ rel: 'origin', url: r.culprit.url }, ...(tracked?.state.tracking.url ? [{ rel: 'tracking_issue', url: tracked.state.tracking.url }] : [])],
    },
  );
  await port.updateIssue(configRepo, found.issue.number, { state: 'closed' });
  env.vetoWindows?.forget(r.id);
}
