import type { LedgerEntry } from './entry.ts';

/** One JSON object per line, each line ending in `\n` (empty string for no entries). */
export function toJsonLines(entries: readonly LedgerEntry[]): string {
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}
