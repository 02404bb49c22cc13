/**
 * Civil time for the time.* builtins: proleptic Gregorian dates from day counts (exact over any
 * range), and IANA zone offsets through Intl (Node ships full ICU). Times are Unix nanoseconds (bigint).
 */
import { evalErr } from './operands.ts';

export const NS_PER_SEC = 1_000_000_000n;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

export interface Civil {
  year: number;
  month: number; // 1..12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nsec: number;
}

/** Days since 1970-01-01 of a civil date (any month/day overflow normalises like Go's time.Date). */
export function daysFromCivil(y: number, m: number, d: number): number {
  // Normalise month into 1..12 first.
  const m0 = m - 1;
  y += Math.floor(m0 / 12);
  m = (((m0 % 12) + 12) % 12) + 1;
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): { year: number; month: number; day: number } {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysIn(month: number, year: number): number {
  return daysFromCivil(year, month + 1, 1) - daysFromCivil(year, month, 1);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Civil fields of `ns` shifted by `offsetSec`. */
export function civilOf(ns: bigint, offsetSec: number): Civil & { weekday: number; yday: number } {
  const secs = floorDiv(ns, NS_PER_SEC) + BigInt(offsetSec);
  const nsec = Number(ns - floorDiv(ns, NS_PER_SEC) * NS_PER_SEC);
  const days = Number(floorDiv(secs, 86400n));
  const sod = Number(secs - BigInt(days) * 86400n);
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(sod / 3600),
    minute: Math.floor((sod % 3600) / 60),
    second: sod % 60,
    nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
  };
}

/** Unix ns of civil fields taken as UTC (fields may overflow; they normalise). */
export function civilToNs(c: Civil): bigint {
  const days = BigInt(daysFromCivil(c.year, c.month, 1) + c.day - 1);
  const secs = days * 86400n + BigInt(c.hour) * 3600n + BigInt(c.minute) * 60n + BigInt(c.second);
  return secs * NS_PER_SEC + BigInt(c.nsec);
}

/** A time zone: UTC, a fixed offset, or an IANA name resolved through Intl. */
export interface Zone {
  readonly name: string;
  offsetAt(ns: bigint): number;
  abbrevAt(ns: bigint): string;
}

export const UTC: Zone = { name: 'UTC', offsetAt: () => 0, abbrevAt: () => 'UTC' };

export function fixedZone(name: string, offsetSec: number): Zone {
  return { name, offsetAt: () => offsetSec, abbrevAt: () => name };
}

const MS_RANGE = 8.64e15;
const zones = new Map<string, Zone>();

function intlZone(name: string): Zone {
  let fmt: Intl.DateTimeFormat;
  let short: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    short = new Intl.DateTimeFormat('en-US', { timeZone: name, timeZoneName: 'short' });
  } catch {
    throw evalErr('time', `unknown time zone ${name}`);
  }
  const msOf = (ns: bigint): number => {
    const ms = Number(floorDiv(ns, 1_000_000n));
    return Math.max(-MS_RANGE, Math.min(MS_RANGE, Math.floor(ms / 1000) * 1000));
  };
  const offsetAt = (ns: bigint): number => {
    const ms = msOf(ns);
    const parts: Record<string, string> = {};
    for (const p of fmt.formatToParts(new Date(ms))) parts[p.type] = p.value;
    let year = Number(parts.year);
    if (parts.era === 'BC' || parts.era === 'B') year = 1 - year;
    const local = civilToNs({ year, month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second), nsec: 0 });
    return Number(local / NS_PER_SEC) - ms / 1000;
  };
  const abbrevAt = (ns: bigint): string => {
    const tzn = short.formatToParts(new Date(msOf(ns))).find((p) => p.type === 'timeZoneName')?.value ?? name;
    const m = /^GMT([+-])(\d{1,2})(?::(\d\d))?$/.exec(tzn);
    if (m) return m[1] + m[2].padStart(2, '0') + (m[3] ?? '');
    return tzn === 'GMT' && name !== 'GMT' ? 'UTC' : tzn;
  };
  return { name, offsetAt, abbrevAt };
}

/** OPA's tz names: "" and "UTC" are UTC, "Local" the process zone, others IANA names. */
export function loadZone(name: string): Zone {
  if (name === '' || name === 'UTC') return UTC;
  const key = name === 'Local' ? Intl.DateTimeFormat().resolvedOptions().timeZone : name;
  let z = zones.get(key);
  if (!z) {
    z = intlZone(key);
    zones.set(key, z);
  }
  return z;
}

/** Go's time.Date in a zone: civil fields (normalised) interpreted in `zone`. */
export function zonedToNs(c: Civil, zone: Zone): bigint {
  const local = civilToNs(c);
  let off = zone.offsetAt(local);
  let ns = local - BigInt(off) * NS_PER_SEC;
  const off2 = zone.offsetAt(ns);
  if (off2 !== off) {
    const alt = local - BigInt(off2) * NS_PER_SEC;
    if (zone.offsetAt(alt) === off2) {
      off = off2;
      ns = alt;
    }
  }
  return ns;
}
