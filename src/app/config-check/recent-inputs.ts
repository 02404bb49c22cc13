/**
 * The policy inputs of an org's recent rollbacks, from their ledgers: the registry names where each
 * active and recently finished rollback is tracked; only ledger comments Unwind wrote and signed count.
 */
import type { GitHubPort } from '../../github/port.ts';
import { openLedgerComment, type LedgerEntry } from '../../ledger/entry.ts';
import { recordedInputs, type RecordedInputs } from '../../policy/impact/recorded-input.ts';
import { registryOf } from '../../registry/registry-locks.ts';
import { parseRepo } from '../../shared/repo-name.ts';
import { writtenByUnwind, type Trust } from '../../trust/trust.ts';

export async function recentInputs(port: GitHubPort, trust: Trust, configRepo: string, limit: number): Promise<RecordedInputs> {
  const doc = await registryOf(port, trust, configRepo).read();
  const tracked = [
    ...Object.entries(doc.rollbacks).map(([id, r]) => ({ id, tracking: r.tracking, at: r.since })),
    ...doc.recent.map((r) => ({ id: r.rollback, tracking: r.tracking, at: r.at })),
  ]
    .filter((r) => r.tracking !== null)
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, limit);
  const urls = new Map<string, string>();
  const entries: LedgerEntry[] = [];
  for (const { id, tracking } of tracked) {
    if (!tracking || urls.has(id)) continue;
    urls.set(id, tracking.url);
    const where = `${tracking.repo}#${tracking.number}`;
    for (const c of await port.listComments(parseRepo(tracking.repo), tracking.number)) {
      if (!writtenByUnwind(trust, c.user)) continue;
      const entry = openLedgerComment(c.body, where, trust.keyring);
      if (entry?.rollback_id === id && entry.action === 'requested') entries.push(entry);
    }
  }
  return recordedInputs(entries, { limit, urlOf: (id) => urls.get(id) ?? null });
}
