/**
 * The ledger of a pending revert: signed entries on its issue, exactly once by sequence number
 * (an entry already posted is found again after a crash, never posted twice).
 */
import type { GitHubPort, RepoRef } from '../../github/port.ts';
import { openLedgerComment, renderLedgerComment, type LedgerEntry } from '../../ledger/entry.ts';
import { writtenByUnwind, type Trust } from '../../trust/trust.ts';

export interface PendingEntry {
  readonly action: LedgerEntry['action'];
  readonly actor: string;
  readonly outcome: string;
  readonly text: string;
  readonly details: Record<string, unknown>;
  readonly links?: Array<{ rel: string; url: string }>;
}

export async function readPendingLedger(port: GitHubPort, repo: RepoRef, issue: number, trust: Trust): Promise<LedgerEntry[]> {
  const where = `${repo.owner}/${repo.repo}#${issue}`;
  const out: LedgerEntry[] = [];
  for (const c of await port.listComments(repo, issue)) {
    if (!writtenByUnwind(trust, c.user)) continue;
    const e = openLedgerComment(c.body, where, trust.keyring);
    if (e) out.push(e);
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Appends `entry` unless an entry with the same action and outcome is there already; returns the entry in force. */
export async function appendPendingEntry(p: { port: GitHubPort; repo: RepoRef; issue: number; trust: Trust; id: string; now: Date }, entry: PendingEntry): Promise<LedgerEntry> {
  const ledger = await readPendingLedger(p.port, p.repo, p.issue, p.trust);
  const same = ledger.find((e) => e.action === entry.action && e.outcome === entry.outcome);
  if (same) return same;
  const record: LedgerEntry = {
    v: 1,
    rollback_id: p.id,
    seq: (ledger.at(-1)?.seq ?? 0) + 1,
    at: p.now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    decision: null,
    policy_version: null,
    outcome: entry.outcome,
    links: entry.links ?? [],
    details: entry.details,
  };
  await p.port.createComment(p.repo, p.issue, renderLedgerComment(record, entry.text, { keyring: p.trust.keyring, where: `${p.repo.owner}/${p.repo.repo}#${p.issue}` }));
  return record;
}
