/**
 * The policy inputs past rollbacks were decided on, as the `requested` ledger entry records them
 * (`details.policy_input`), with what was decided then. Entries written before the input was recorded
 * are counted as skipped, never guessed.
 */
import type { LedgerEntry } from '../../ledger/entry.ts';

export interface RecordedInput {
  readonly rollbackId: string;
  readonly at: string;
  /** Where to read about the rollback: its tracking issue when known, else where it was requested. */
  readonly url: string | null;
  readonly input: Record<string, unknown>;
}

export interface RecordedInputs {
  readonly inputs: RecordedInput[];
  /** Rollbacks whose `requested` entry carries no policy input (recorded before Unwind kept it). */
  readonly skipped: string[];
}

/** One input per rollback (its `requested` entry), newest first, at most `limit`. */
export function recordedInputs(entries: readonly LedgerEntry[], opts: { limit: number; urlOf?: (rollbackId: string) => string | null }): RecordedInputs {
  const byRollback = new Map<string, LedgerEntry>();
  for (const e of entries) if (e.action === 'requested' && !byRollback.has(e.rollback_id)) byRollback.set(e.rollback_id, e);
  const newestFirst = [...byRollback.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, opts.limit);
  const inputs: RecordedInput[] = [];
  const skipped: string[] = [];
  for (const e of newestFirst) {
    const input = e.details.policy_input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      skipped.push(e.rollback_id);
      continue;
    }
    const origin = e.links.find((l) => l.rel === 'origin')?.url ?? null;
    inputs.push({ rollbackId: e.rollback_id, at: e.at, url: opts.urlOf?.(e.rollback_id) ?? origin, input: input as Record<string, unknown> });
  }
  return { inputs, skipped };
}
