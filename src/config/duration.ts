/** Durations in configuration: one or more `<integer><unit>` parts, units d, h, m, s, ms (e.g. `90s`, `1h30m`). */
export const DURATION_PATTERN = '^(?:[0-9]+(?:ms|d|h|m|s))+$';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const WHOLE = new RegExp(DURATION_PATTERN);
const PART = /([0-9]+)(ms|d|h|m|s)/g;

/** Milliseconds, or null when `text` is not a duration. */
export function parseDuration(text: string): number | null {
  if (text.length > 64 || !WHOLE.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(PART)) total += Number(m[1]) * UNIT_MS[m[2]];
  return Number.isSafeInteger(total) ? total : null;
}
