/** Go's time.Parse(layout, value) → Unix nanoseconds (bigint), with Go's error texts. */
import { civilToNs, daysIn, NS_PER_SEC } from './go-civil.ts';
import { DAYS, MONTHS, nextChunk } from './go-layout.ts';

export class TimeParseError extends Error {}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function lookup(names: string[], value: string): [number, string] | undefined {
  for (let i = 0; i < names.length; i++) {
    if (value.length >= names[i].length && value.slice(0, names[i].length).toLowerCase() === names[i].toLowerCase()) return [i, value.slice(names[i].length)];
  }
  return undefined;
}

/** Reads 1 or 2 digits (exactly 2 when `fixed`). */
function getnum(value: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(value[0])) return undefined;
  if (!isDigit(value[1])) return fixed ? undefined : [Number(value[0]), value.slice(1)];
  return [Number(value.slice(0, 2)), value.slice(2)];
}

function getnum3(value: string, fixed: boolean): [number, string] | undefined {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigit(value[i]); i++) n = n * 10 + Number(value[i]);
  if (i === 0 || (fixed && i !== 3)) return undefined;
  return [n, value.slice(i)];
}

/** Go's skip: literal layout text; runs of spaces match runs of spaces. */
function skip(value: string, prefix: string): string | undefined {
  while (prefix.length > 0) {
    if (prefix[0] === ' ') {
      if (value.length > 0 && value[0] !== ' ') return undefined;
      prefix = prefix.replace(/^ +/, '');
      value = value.replace(/^ +/, '');
      continue;
    }
    if (value.length === 0 || value[0] !== prefix[0]) return undefined;
    prefix = prefix.slice(1);
    value = value.slice(1);
  }
  return value;
}

function parseNanos(value: string, n: number): number {
  // value[0] is the separator; digits follow.
  const digits = value.slice(1, n).slice(0, 9);
  return Number(digits.padEnd(9, '0'));
}

export function parseTime(layout: string, value: string): bigint {
  const original = value;
  const q = JSON.stringify;
  let year = 0;
  let month = -1;
  let day = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pm = false;
  let am = false;
  let offset: number | undefined;
  let rest = layout;
  const bad = (elem: string, v: string): never => {
    throw new TimeParseError(`parsing time ${q(original)} as ${q(layout)}: cannot parse ${q(v)} as ${q(elem)}`);
  };
  const range = (what: string): never => {
    throw new TimeParseError(`parsing time ${q(original)}: ${what} out of range`);
  };
  while (true) {
    const ch = nextChunk(rest);
    const v = skip(value, ch.prefix);
    if (v === undefined) bad(ch.prefix, value);
    value = v as string;
    if (!ch.std) {
      if (value.length > 0) throw new TimeParseError(`parsing time ${q(original)}: extra text: ${q(value)}`);
      break;
    }
    rest = ch.suffix;
    const hold = value;
    let r: [number, string] | undefined;
    switch (ch.std) {
      case '2006':
        if (value.length < 4 || !/^\d{4}/.test(value)) bad('2006', hold);
        year = Number(value.slice(0, 4));
        value = value.slice(4);
        break;
      case '06':
        if (!/^\d{2}/.test(value)) bad('06', hold);
        year = Number(value.slice(0, 2));
        year += year >= 69 ? 1900 : 2000;
        value = value.slice(2);
        break;
      case 'January':
      case 'Jan':
        r = lookup(ch.std === 'Jan' ? MONTHS.map((m) => m.slice(0, 3)) : MONTHS, value) ?? bad(ch.std, hold);
        month = r[0] + 1;
        value = r[1];
        break;
      case '1':
      case '01':
        r = getnum(value, ch.std === '01') ?? bad(ch.std, hold);
        month = r[0];
        value = r[1];
        if (month < 1 || month > 12) range('month');
        break;
      case 'Monday':
      case 'Mon':
        r = lookup(ch.std === 'Mon' ? DAYS.map((d) => d.slice(0, 3)) : DAYS, value) ?? bad(ch.std, hold);
        value = r[1];
        break;
      case '2':
      case '_2':
      case '02':
        if (ch.std === '_2' && value[0] === ' ') value = value.slice(1);
        r = getnum(value, ch.std === '02') ?? bad(ch.std, hold);
        day = r[0];
        value = r[1];
        break;
      case '__2':
      case '002':
        if (ch.std === '__2') value = value.replace(/^ {1,2}/, '');
        r = getnum3(value, ch.std === '002') ?? bad(ch.std, hold);
        value = r[1];
        break;
      case '15':
        r = getnum(value, false) ?? bad('15', hold);
        hour = r[0];
        value = r[1];
        if (hour > 23) range('hour');
        break;
      case '3':
      case '03':
        r = getnum(value, ch.std === '03') ?? bad(ch.std, hold);
        hour = r[0];
        value = r[1];
        if (hour > 12) range('hour');
        break;
      case '4':
      case '04':
        r = getnum(value, ch.std === '04') ?? bad(ch.std, hold);
        min = r[0];
        value = r[1];
        if (min > 59) range('minute');
        break;
      case '5':
      case '05': {
        r = getnum(value, ch.std === '05') ?? bad(ch.std, hold);
        sec = r[0];
        value = r[1];
        if (sec > 59) range('second');
        // A fractional second in the value that the layout does not spell out is accepted.
        if (value.length >= 2 && (value[0] === '.' || value[0] === ',') && isDigit(value[1])) {
          const next = nextChunk(rest);
          if (next.std === 'frac0' || next.std === 'frac9') break;
          let n = 2;
          while (n < value.length && isDigit(value[n])) n++;
          nsec = parseNanos(value, n);
          value = value.slice(n);
        }
        break;
      }
      case 'PM':
      case 'pm': {
        const p = value.slice(0, 2);
        const want = ch.std === 'PM' ? ['PM', 'AM'] : ['pm', 'am'];
        if (p === want[0]) pm = true;
        else if (p === want[1]) am = true;
        else bad(ch.std, hold);
        value = value.slice(2);
        break;
      }
      case 'MST': {
        if (value.startsWith('UTC')) {
          value = value.slice(3);
          offset = 0;
          break;
        }
        const m = /^(GMT[+-]\d{1,2}|[A-Z]{3,5}|[+-]\d\d(?:\d\d)?)/.exec(value) ?? bad('MST', hold);
        const g = /^GMT([+-]\d{1,2})$/.exec(m[0]);
        offset = g ? Number(g[1]) * 3600 : 0;
        value = value.slice(m[0].length);
        break;
      }
      case 'frac0': {
        const n = 1 + (ch.digits ?? 0);
        if (value.length < n || (value[0] !== '.' && value[0] !== ',') || !/^\d+$/.test(value.slice(1, n))) bad(ch.text ?? '', hold);
        nsec = parseNanos(value, n);
        value = value.slice(n);
        break;
      }
      case 'frac9': {
        if (value.length < 2 || (value[0] !== '.' && value[0] !== ',') || !isDigit(value[1])) break;
        let i = 0;
        while (i + 1 < value.length && i < 9 && isDigit(value[i + 1])) i++;
        nsec = parseNanos(value, 1 + i);
        value = value.slice(1 + i);
        break;
      }
      default: {
        const std = ch.std;
        if (std.startsWith('Z') && value[0] === 'Z') {
          value = value.slice(1);
          offset = 0;
          break;
        }
        const shape = std.slice(1);
        const colon = shape.includes(':');
        const parts = shape === '07' ? 1 : shape.replace(/:/g, '').length / 2;
        const re = new RegExp('^([+-])(\\d\\d)' + (parts >= 2 ? (colon ? ':' : '') + '(\\d\\d)' : '') + (parts >= 3 ? (colon ? ':' : '') + '(\\d\\d)' : ''));
        const m = re.exec(value) ?? bad(std, hold);
        const hh = Number(m[2]);
        const mm = Number(m[3] ?? 0);
        const ss = Number(m[4] ?? 0);
        if (hh > 24 || mm > 60 || ss > 60) range('time zone offset');
        offset = (m[1] === '-' ? -1 : 1) * (hh * 3600 + mm * 60 + ss);
        value = value.slice(m[0].length);
      }
    }
  }
  if (pm && hour < 12) hour += 12;
  else if (am && hour === 12) hour = 0;
  if (month < 0) month = 1;
  if (day < 0) day = 1;
  if (day < 1 || day > daysIn(month, year)) range('day');
  const local = civilToNs({ year, month, day, hour, minute: min, second: sec, nsec });
  return local - BigInt(offset ?? 0) * NS_PER_SEC;
}
