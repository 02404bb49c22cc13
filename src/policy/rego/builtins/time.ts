/** time.* builtins (OPA topdown/time.go) with nanosecond precision as bigint. */
import type { BuiltinDef } from '../builtin-types.ts';
import { BuiltinError } from '../builtin-types.ts';
import { D, isNum } from '../value.ts';
import type { Value } from '../value.ts';
import { civilOf, daysFromCivil, INT64_MAX, INT64_MIN, loadZone, UTC, zonedToNs } from './go-civil.ts';
import type { Zone } from './go-civil.ts';
import { parseDuration } from './go-duration.ts';
import { DAYS, formatTime, NAMED_LAYOUTS } from './go-layout.ts';
import { parseTime } from './go-parse.ts';
import { bigToNum, evalErr, intArg, str, typeErr } from './operands.ts';

interface TzTime {
  ns: bigint;
  zone: Zone;
  layout: string;
}

/** OPA's tzTime: `ns` or `[ns]`, `[ns, tz]`, `[ns, tz, layout]`. */
function tzTime(name: string, v: Value): TzTime {
  const want = 'either number (ns) or [number (ns), string (tz)]';
  let n: Value;
  let zone = UTC;
  let layout = '';
  if (Array.isArray(v)) {
    if (v.length === 0) throw typeErr(name, 1, v, want);
    n = v[0];
    if (!isNum(n)) throw typeErr(name, 1, n, 'number');
    if (v.length > 1) {
      const tz = v[1];
      if (typeof tz !== 'string') throw typeErr(name, 1, tz, 'string');
      try {
        zone = loadZone(tz);
      } catch (e) {
        throw evalErr(name, (e as BuiltinError).message.replace(/^time: /, ''));
      }
    }
    if (v.length > 2) {
      const l = v[2];
      if (typeof l !== 'string') throw typeErr(name, 1, l, 'string');
      layout = l;
    }
  } else if (isNum(v)) n = v;
  else throw typeErr(name, 1, v, want);
  const num = n as InstanceType<typeof D>;
  if (!num.isInteger()) throw evalErr(name, 'timestamp too big');
  const ns = BigInt(num.toFixed(0));
  if (ns < INT64_MIN || ns > INT64_MAX) throw evalErr(name, 'timestamp too big');
  return { ns, zone, layout };
}

function safeNs(name: string, ns: bigint): Value {
  if (ns < INT64_MIN || ns > INT64_MAX) throw evalErr(name, 'time outside of valid range');
  return bigToNum(ns);
}

function wrap<T>(name: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof BuiltinError) throw e;
    throw evalErr(name, (e as Error).message);
  }
}

function civil(name: string, v: Value) {
  const t = tzTime(name, v);
  return { t, c: civilOf(t.ns, t.zone.offsetAt(t.ns)) };
}

function addDate(a: Value[]): Value {
  const n = 'time.add_date';
  const { t, c } = civil(n, a[0]);
  const years = intArg(n, a, 1);
  const months = intArg(n, a, 2);
  const days = intArg(n, a, 3);
  const ns = zonedToNs({ ...c, year: c.year + years, month: c.month + months, day: c.day + days }, t.zone);
  return safeNs(n, ns);
}

/** Calendar difference [years, months, days, hours, minutes, seconds] (OPA's icza/gox algorithm). */
function diff(a: Value[]): Value {
  const n = 'time.diff';
  const t1 = tzTime(n, a[0]);
  const t2 = tzTime(n, a[1]);
  const zone = t1.zone;
  let [x, y] = [t1.ns, t2.ns];
  if (x > y) [x, y] = [y, x];
  const c1 = civilOf(x, zone.offsetAt(x));
  const c2 = civilOf(y, zone.offsetAt(y));
  let year = c2.year - c1.year;
  let month = c2.month - c1.month;
  let day = c2.day - c1.day;
  let hour = c2.hour - c1.hour;
  let min = c2.minute - c1.minute;
  let sec = c2.second - c1.second;
  if (sec < 0) [sec, min] = [sec + 60, min - 1];
  if (min < 0) [min, hour] = [min + 60, hour - 1];
  if (hour < 0) [hour, day] = [hour + 24, day - 1];
  if (day < 0) {
    // Days in c1's month: Go computes 32 - day-of(Date(y1, M1, 32)).
    const overflow = daysFromCivil(c1.year, c1.month, 32) - daysFromCivil(c1.year, c1.month + 1, 1) + 1;
    day += 32 - overflow;
    month--;
  }
  if (month < 0) [month, year] = [month + 12, year - 1];
  return [year, month, day, hour, min, sec].map((k) => new D(k));
}

export const timeBuiltins: BuiltinDef[] = [
  { name: 'time.now_ns', arity: 0, nondeterministic: true, fn: (_a, ctx) => bigToNum(ctx.nowNs) },
  {
    name: 'time.parse_rfc3339_ns',
    arity: 1,
    fn: (a) => safeNs('time.parse_rfc3339_ns', wrap('time.parse_rfc3339_ns', () => parseTime(NAMED_LAYOUTS.RFC3339, str('time.parse_rfc3339_ns', a, 0)))),
  },
  {
    name: 'time.parse_ns',
    arity: 2,
    fn: (a) => {
      const layout = str('time.parse_ns', a, 0);
      const value = str('time.parse_ns', a, 1);
      return safeNs('time.parse_ns', wrap('time.parse_ns', () => parseTime(NAMED_LAYOUTS[layout] ?? layout, value)));
    },
  },
  {
    name: 'time.parse_duration_ns',
    arity: 1,
    fn: (a) => bigToNum(wrap('time.parse_duration_ns', () => parseDuration(str('time.parse_duration_ns', a, 0)))),
  },
  {
    name: 'time.format',
    arity: 1,
    fn: (a) => {
      const t = tzTime('time.format', a[0]);
      const layout = t.layout === '' ? NAMED_LAYOUTS.RFC3339Nano : (NAMED_LAYOUTS[t.layout] ?? t.layout);
      return formatTime(t.ns, t.zone, layout);
    },
  },
  {
    name: 'time.date',
    arity: 1,
    fn: (a) => {
      const { c } = civil('time.date', a[0]);
      return [new D(c.year), new D(c.month), new D(c.day)];
    },
  },
  {
    name: 'time.clock',
    arity: 1,
    fn: (a) => {
      const { c } = civil('time.clock', a[0]);
      return [new D(c.hour), new D(c.minute), new D(c.second)];
    },
  },
  { name: 'time.weekday', arity: 1, fn: (a) => DAYS[civil('time.weekday', a[0]).c.weekday] },
  { name: 'time.add_date', arity: 4, fn: addDate },
  { name: 'time.diff', arity: 2, fn: diff },
];
