/** Go's time.ParseDuration → nanoseconds (bigint), with Go's error texts. */
import { INT64_MAX } from './go-civil.ts';

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

export class DurationError extends Error {}

export function parseDuration(text: string): bigint {
  const q = JSON.stringify(text);
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw new DurationError(`time: invalid duration ${q}`);
  let total = 0n;
  while (s !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [whole, intPart, frac = ''] = [m[0], m[1], m[2]];
    if (intPart === '' && frac === '') throw new DurationError(`time: invalid duration ${q}`);
    s = s.slice(whole.length);
    const u = /^[^0-9.]*/.exec(s)![0];
    if (u === '') throw new DurationError(`time: missing unit in duration ${q}`);
    const unit = UNITS[u];
    if (unit === undefined) throw new DurationError(`time: unknown unit ${JSON.stringify(u)} in duration ${q}`);
    s = s.slice(u.length);
    let v = BigInt(intPart || '0') * unit;
    if (frac !== '') v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > INT64_MAX + (neg ? 1n : 0n)) throw new DurationError(`time: invalid duration ${q}`);
  }
  return neg ? -total : total;
}
