import type { GitHubPort, RepoRef } from '../github/port.ts';
import { type LedgerEntry, parseLedgerComment } from './entry.ts';

export interface ReadLedgerOptions {
  /**
   * Only comments by this login count (the app's own `<slug>[bot]`). Without it, only comments by bots count,
   * so a person cannot forge an entry by pasting a hidden record into a comment.
   */
  readonly author?: string;
  /** Only entries of this rollback count. */
  readonly rollbackId?: string;
}

export interface Ledger {
  /** One entry per (rollback id, seq), from the earliest comment that carries it, sorted by seq. */
  entries: LedgerEntry[];
  /** Every comment that carries an entry, sorted by seq then comment id (duplicates included). */
  byComment: Array<{ commentId: number; entry: LedgerEntry }>;
}

/** Reads every comment of the tracking issue (paginated by the port) and returns the ledger entries they carry. */
export async function readLedger(port: GitHubPort, repo: RepoRef, issueNumber: number, options: ReadLedgerOptions = {}): Promise<Ledger> {
  const comments = await port.listComments(repo, issueNumber);
  const byComment: Array<{ commentId: number; entry: LedgerEntry }> = [];
  for (const comment of comments) {
    if (options.author !== undefined ? comment.user.login !== options.author : comment.user.type !== 'Bot') continue;
    const entry = parseLedgerComment(comment.body);
    if (entry === null) continue;
    if (options.rollbackId !== undefined && entry.rollback_id !== options.rollbackId) continue;
    byComment.push({ commentId: comment.id, entry });
  }
  byComment.sort((a, b) => a.entry.seq - b.entry.seq || a.commentId - b.commentId);
  const seen = new Set<string>();
  const entries: LedgerEntry[] = [];
  for (const { entry } of byComment) {
    const key = `${entry.rollback_id}#${entry.seq}`;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push(entry);
  }
  return { entries, byComment };
}

export { toJsonLines } from './to-json-lines.ts';
