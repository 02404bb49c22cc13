/**
 * Opens the veto window of an automatic revert: the pending revert is recorded on GitHub (see
 * pending-revert.ts), its ledger starts with `announced`, and the culprit PR is told what will be
 * reverted, why, when, and how to stop it. Every step looks for its effect first, so a redelivered
 * failure or a restart in the middle finishes the announcement instead of repeating it.
 */
import type { PullInfo, RepoRef } from '../../github/port.ts';
import { mdText } from '../../shared/markdown.ts';
import type { CommandEnv } from '../command-env.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { appendPendingEntry, readPendingLedger } from './pending-ledger.ts';
import { findPending, NO_REVERT_LABEL, PENDING_LABEL, sealPending, type FoundPending, type PendingRevert } from './pending-revert.ts';

export type PendingState = 'waiting' | 'cancelled' | 'started';

export interface AnnounceParams {
  readonly id: string;
  readonly repo: RepoRef;
  readonly pull: PullInfo;
  readonly reason: string;
  readonly graceMs: number;
  readonly trigger: PendingRevert['trigger'];
}

export async function announceRevert(env: CommandEnv, p: AnnounceParams): Promise<PendingState> {
  const port = env.client.port;
  const configRepo = { owner: p.repo.owner, repo: CONFIG_REPO };
  // 1. Announced before (another failure on the same culprit, a redelivery): that window stands.
  let found = await findPending(port, configRepo, env.trust, p.id);
  if (found && found.issue.state === 'closed') return outcomeOf(env, found);
  // 2. The record, signed, in the org config repo.
  if (!found) {
    const now = env.now();
    const record: PendingRevert = {
      v: 1,
      id: p.id,
      culprit: { repo: `${p.repo.owner}/${p.repo.repo}`, number: p.pull.number, url: p.pull.htmlUrl, author: p.pull.user.login, mergeSha: p.pull.mergeCommitSha ?? '' },
      trigger: p.trigger,
      reason: p.reason,
      announcedAt: now.toISOString(),
      deadline: new Date(now.getTime() + p.graceMs).toISOString(),
    };
    const issue = await port.createIssue(configRepo, {
      title: `Pending automatic revert ${p.id}: ${record.culprit.repo}#${p.pull.number}`,
      body: [`Unwind will automatically revert ${p.pull.htmlUrl} at ${record.deadline} unless it is stopped: ${mdText(p.reason)}.`, '', sealPending(record, configRepo, env.trust)].join('\n'),
      labels: [PENDING_LABEL],
    });
    found = { record, issue };
  }
  // 3. Its ledger and the culprit's notice (each written once), and the timer.
  await ensureAnnounced(env, found);
  env.vetoWindows?.schedule(env.client.installationId, found.record);
  return 'waiting';
}

/** The `announced` ledger entry and the notice on the culprit PR, if a crash left them unwritten. */
export async function ensureAnnounced(env: CommandEnv, found: FoundPending): Promise<void> {
  const port = env.client.port;
  const r = found.record;
  const configRepo = { owner: found.issue.owner, repo: found.issue.repo };
  await appendPendingEntry(
    { port, repo: configRepo, issue: found.issue.number, trust: env.trust, id: r.id, now: env.now() },
    {
      action: 'planned',
      actor: env.botLogin,
      outcome: 'announced',
      text: `Automatic revert of ${r.culprit.url} announced: ${mdText(r.reason)}. It starts at ${r.deadline} unless \`/rollback cancel\`, the label \`${NO_REVERT_LABEL}\` or a green ${r.trigger.kind} stops it.`,
      details: { culprit: r.culprit, trigger: r.trigger, deadline: r.deadline },
      links: [{ rel: 'origin', url: r.culprit.url }, ...(r.trigger.url ? [{ rel: 'trigger', url: r.trigger.url }] : [])],
    },
  );
  const culprit = { owner: r.culprit.repo.split('/')[0], repo: r.culprit.repo.split('/')[1] };
  const marker = `<!-- unwind:pending-revert ${r.id} -->`;
  const comments = await port.listComments(culprit, r.culprit.number);
  if (comments.some((c) => c.user.login === env.botLogin && c.body.includes(marker))) return;
  await port.createComment(
    culprit,
    r.culprit.number,
    [
      `**Unwind will revert this pull request automatically at ${r.deadline}** (rollback \`${r.id}\`).`,
      '',
      `Why: ${mdText(r.reason)}${r.trigger.url ? ` (${r.trigger.url})` : ''}.`,
      '',
      `To stop it, @${mdText(r.culprit.author)} or anyone with write access can comment \`/rollback cancel\`, or add the label \`${NO_REVERT_LABEL}\`. A fix that turns ${r.trigger.kind} "${mdText(r.trigger.name)}" green on ${mdText(r.trigger.branch)} before then stops it too.`,
      '',
      `Pending revert: ${found.issue.htmlUrl}`,
      marker,
    ].join('\n'),
  );
}

/** How a closed window ended, from its ledger. */
export async function outcomeOf(env: CommandEnv, found: FoundPending): Promise<PendingState> {
  const ledger = await readPendingLedger(env.client.port, { owner: found.issue.owner, repo: found.issue.repo }, found.issue.number, env.trust);
  return ledger.some((e) => e.outcome === 'reverting') ? 'started' : ledger.some((e) => e.outcome === 'cancelled') ? 'cancelled' : 'waiting';
}
