/**
 * Appends ledger entries to the tracking issue exactly once. Entry `seq` N is posted only if no
 * comment by a bot already carries seq N for this rollback, so a crash between posting a comment
 * and saving the state never produces a second copy.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import { openLedgerComment, renderLedgerComment, type LedgerEntry } from '../ledger/entry.ts';
import { writtenByUnwind, type Trust } from '../trust/trust.ts';
import { TamperedStateError } from '../trust/report-tampering.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { requestRecord } from './request-entry.ts';
import type { DecisionSummary, RollbackState, RollbackStatus } from './state.ts';

export interface LedgerRecord {
  readonly action: LedgerEntry['action'];
  readonly actor: string;
  readonly outcome: string;
  readonly text: string;
  readonly details?: Record<string, unknown>;
  readonly links?: Array<{ rel: string; url: string }>;
  readonly withDecision?: boolean;
}

export class LedgerWriter {
  /** Entries already on the tracking issue (read once, then what this run posts), by sequence number. */
  private readonly posted = new Map<number, LedgerEntry>();
  private loaded = false;
  /** Set by load when a signed entry after the state's last one ended the rollback (see laterEnding). */
  ended: { readonly seq: number; readonly status: RollbackStatus; readonly entry: LedgerEntry } | null = null;

  constructor(
    private readonly port: GitHubPort,
    private readonly now: () => Date,
    /** Only comments by Unwind's own App identity, signed with its keys, count as ledger entries. */
    private readonly trust: Trust,
  ) {}

  /** Reads every existing ledger comment (paginated) once per run. */
  async load(state: RollbackState): Promise<void> {
    const repo = parseRepo(state.tracking.repo);
    const entries = new Map<number, LedgerEntry>();
    for (const c of await this.port.listComments(repo, state.tracking.number)) {
      // Only Unwind writes the ledger: neither a human nor another bot can forge or edit an entry.
      if (!writtenByUnwind(this.trust, c.user)) continue;
      const entry = openLedgerComment(c.body, ledgerPlace(state), this.trust.keyring);
      if (entry && entry.rollback_id === state.id && !entries.has(entry.seq)) entries.set(entry.seq, entry);
    }
    for (const [seq, entry] of entries) this.posted.set(seq, entry);
    this.loaded = true;
    checkNotBehind(state, entries);
    this.ended = laterEnding(state, entries);
  }

  /** A tracking issue this process has just opened: no entries yet, nothing to read (see RunParams.opened). */
  startEmpty(): void {
    this.loaded = true;
    this.ended = null;
  }

  /** Records one entry; mutates `state.seq`. The caller saves the state afterwards. */
  async append(state: RollbackState, record: LedgerRecord): Promise<void> {
    if (!this.loaded) await this.load(state);
    if (this.ended) throw new TamperedStateError(ledgerPlace(state), `its state records ledger entry #${state.seq}, but entry #${this.ended.seq} (${this.ended.entry.action}) ended the rollback after it`);
    // Whatever path writes first (a crash can leave a tracking issue without entries), the request comes first.
    if (state.seq === 0 && record.action !== 'requested') await this.append(state, requestRecord(state));
    // An entry already posted at the next number is this record only if it says the same (a crash
    // between posting and saving); anything else already there stays, and the sequence goes on after
    // it: nothing recorded is lost, nothing is recorded twice.
    let seq = state.seq + 1;
    for (let there = this.posted.get(seq); there; there = this.posted.get(seq)) {
      if (sameRecord(there, record)) {
        state.seq = seq;
        return;
      }
      seq += 1;
    }
    {
      const entry: LedgerEntry = {
        v: 1,
        rollback_id: state.id,
        seq,
        at: this.now().toISOString(),
        actor: record.actor,
        action: record.action,
        decision: record.withDecision ? decisionRecord(state.decision) : null,
        policy_version: state.decision.policyVersion,
        outcome: record.outcome,
        links: record.links ?? [],
        details: record.details ?? {},
      };
      await this.port.createComment(trackingRef(state), state.tracking.number, renderLedgerComment(entry, record.text, { keyring: this.trust.keyring, where: ledgerPlace(state) }));
      this.posted.set(seq, entry);
    }
    state.seq = seq;
  }

  /** The signed entries of this rollback on the tracking issue, by sequence number (after load). */
  recorded(): LedgerEntry[] {
    return [...this.posted.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
  }

  /** Whether a `wave_completed` entry for `wave` is on the ledger (a crash may have come between posting it and saving the state). */
  hasWaveEntry(wave: number): boolean {
    return [...this.posted.values()].some((e) => e.action === 'wave_completed' && e.details.wave === wave);
  }
}

/** What makes two records the same entry: what happened, to what, with which result (not when, nor the wording). */
const IDENTITY_DETAILS = ['step', 'state', 'wave', 'compensation', 'attempt'] as const;

function sameRecord(posted: LedgerEntry, record: LedgerRecord): boolean {
  if (posted.action !== record.action || posted.actor !== record.actor || posted.outcome !== record.outcome) return false;
  const details = record.details ?? {};
  return IDENTITY_DETAILS.every((k) => JSON.stringify(posted.details[k]) === JSON.stringify(details[k]));
}

/**
 * Unwind appends an entry (two for a rollback's first record) before it saves the state, so a state
 * may lag its signed ledger by that much after a crash. Further behind, it is an older body put back
 * by someone: refused, a person restores the latest body.
 */
function checkNotBehind(state: RollbackState, entries: ReadonlyMap<number, LedgerEntry>): void {
  const latest = Math.max(0, ...entries.keys());
  if (latest > state.seq + (state.seq === 0 ? 2 : 1)) throw new TamperedStateError(ledgerPlace(state), `its state records ledger entry #${state.seq}, but Unwind has since recorded entry #${latest}`);
}

/**
 * A signed entry after the state's last one that ended the rollback (denied, aborted, stopped,
 * completed): after a crash between the entry and the save, or an older body put back by someone.
 * Either way the ledger wins: the rollback stays ended, it is never resurrected.
 */
function laterEnding(state: RollbackState, entries: ReadonlyMap<number, LedgerEntry>): LedgerWriter['ended'] {
  for (const [seq, entry] of [...entries].sort((a, b) => a[0] - b[0])) {
    if (seq <= state.seq) continue;
    const status = endingStatus(entry);
    if (status) return { seq, status, entry };
  }
  return null;
}

function endingStatus(e: LedgerEntry): RollbackStatus | null {
  if (e.action === 'abort') return 'aborted';
  if (e.action === 'completed') return 'completed';
  if (e.action === 'escalated') return 'stopped';
  return e.outcome === 'denied' ? 'denied' : null;
}

/** Where a rollback's ledger lives: the signatures bind each entry to it. */
export function ledgerPlace(state: Pick<RollbackState, 'tracking'>): string {
  return `${state.tracking.repo}#${state.tracking.number}`;
}

function trackingRef(state: RollbackState): RepoRef {
  return parseRepo(state.tracking.repo);
}

function decisionRecord(d: DecisionSummary): NonNullable<LedgerEntry['decision']> {
  return { allow: d.allow, pending: d.pending, reasons: d.reasons, engine: d.engine };
}
