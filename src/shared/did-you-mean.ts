/**
 * Typo suggestions for unknown words (command flags, config keys): the closest candidate by
 * edit distance, when it is close enough to be a likely typo.
 */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), exiting early past `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

export interface SuggestOptions {
  /** Also suggest a candidate that starts with the word (at least 3 characters), e.g. `--dry` → `--dry-run`. */
  readonly prefix?: boolean;
}

/** The closest candidate to `word` (case-insensitive, ties to the alphabetically first), or null. */
export function didYouMean(word: string, candidates: Iterable<string>, opts: SuggestOptions = {}): string | null {
  const w = word.toLowerCase().slice(0, 64);
  const max = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | null = null;
  let bestDistance = max + 1;
  const sorted = [...candidates].sort();
  for (const c of sorted) {
    const d = editDistance(w, c.toLowerCase(), max);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best !== null || !opts.prefix || w.length < 3) return best;
  return sorted.find((c) => c.toLowerCase().startsWith(w)) ?? null;
}
