/** time.* builtins: Go layouts, durations and calendar arithmetic (OPA v1/topdown/time.go). */
import { describe, expect, it } from 'vitest';
import { call, makeCtx, table } from './call.ts';

const ns = (s: number): bigint => BigInt(s) * 1_000_000_000n;

describe('parsing', () => {
  table([
    ['time.parse_rfc3339_ns', ['1985-04-12T23:20:50.52Z'], '482196050520000000'],
    ['time.parse_rfc3339_ns', ['1985-04-12T23:20:50.52+05:30'], String(482196050520000000n - ns(5 * 3600 + 1800))],
    ['time.parse_rfc3339_ns', ['1970-01-01T00:00:00.000000001Z'], '1'],
    ['time.parse_ns', ['2006-01-02', '2024-01-31'], String(ns(1706659200))],
    ['time.parse_ns', ['RFC822', '02 Jan 06 15:04 MST'], String(ns(1136214240))], // named layouts; unknown abbreviation = offset 0
    ['time.parse_ns', ['Jan 2 2006 3:04pm', 'Feb 3 2013 7:54pm'], String(ns(1359921240))],
    ['time.parse_ns', ['2006-01-02 15:04:05', '2024-10-27 01:30:00.5'], String(ns(1729992600) + 500_000_000n)], // fraction not in layout is accepted
    ['time.parse_ns', ['Mon, 02 Jan 2006 15:04:05 -0700', 'Sun, 27 Oct 2024 03:30:00 +0200'], String(ns(1729992600))],
    ['time.parse_duration_ns', ['1h30m'], '5400000000000'],
    ['time.parse_duration_ns', ['1.5h'], '5400000000000'],
    ['time.parse_duration_ns', ['300ms'], '300000000'],
    ['time.parse_duration_ns', ['-2µs'], '-2000'],
    ['time.parse_duration_ns', ['2us1ns'], '2001'],
    ['time.parse_duration_ns', ['0'], '0'],
  ]);
  it('errors carry Go texts', () => {
    expect(() => call('time.parse_ns', ['2006-01-02', '2023-02-29'])).toThrow('parsing time "2023-02-29": day out of range');
    expect(() => call('time.parse_rfc3339_ns', ['2024-01-01'])).toThrow('parsing time "2024-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"');
    expect(() => call('time.parse_rfc3339_ns', ['2024-01-01T25:00:00Z'])).toThrow('hour out of range');
    expect(() => call('time.parse_ns', ['2006', '2024x'])).toThrow('extra text: "x"');
    expect(() => call('time.parse_duration_ns', ['1d'])).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => call('time.parse_duration_ns', ['5'])).toThrow('time: missing unit in duration "5"');
    expect(() => call('time.parse_duration_ns', [''])).toThrow('time: invalid duration ""');
    expect(() => call('time.parse_duration_ns', ['9999999999h'])).toThrow('invalid duration');
  });
});

describe('formatting and fields', () => {
  table([
    ['time.format', [1703444325734390000n], '"2023-12-24T18:58:45.73439Z"'], // RFC3339Nano trims trailing zeros, as Go
    ['time.format', [[1257894000000000000n, '', '02/01/2006 15:04']], '"10/11/2009 23:00"'],
    ['time.format', [[0, 'America/New_York', '2006-01-02 15:04 MST -0700 Z07:00']], '"1969-12-31 19:00 EST -0500 -05:00"'],
    ['time.format', [[0, 'UTC', 'RFC1123']], '"Thu, 01 Jan 1970 00:00:00 UTC"'],
    ['time.format', [[1500000000n, 'UTC', '15:04:05.000 .999 Jan _2 __2 3PM']], '"00:00:01.500 .5 Jan  1   1 12AM"'],
    ['time.date', [0], '[1970,1,1]'],
    ['time.date', [[0, 'Asia/Tokyo']], '[1970,1,1]'],
    ['time.date', [-1], '[1969,12,31]'],
    ['time.clock', [[0, 'Asia/Kolkata']], '[5,30,0]'],
    ['time.weekday', [0], '"Thursday"'],
    ['time.weekday', [[0, 'Pacific/Honolulu']], '"Wednesday"'],
    ['time.add_date', [ns(1706659200), 0, 1, 0], String(ns(1709337600))], // Jan 31 + 1 month = Mar 2 (Go normalisation)
    ['time.add_date', [0, -1, 0, 0], String(ns(-31536000))],
    ['time.diff', [0, ns(1706659200)], '[54,0,30,0,0,0]'],
    ['time.diff', [ns(1706659200), 0], '[54,0,30,0,0,0]'], // order does not matter
    ['time.diff', [ns(86399), ns(86401)], '[0,0,0,0,0,2]'],
  ]);
  it('time.now_ns is the evaluation instant', () => {
    const ctx = makeCtx(123n);
    expect(call('time.now_ns', [], ctx)?.toString()).toBe('123');
  });
  it('errors', () => {
    expect(() => call('time.date', ['x'])).toThrow('operand 1 must be either number (ns) or [number (ns), string (tz)] but got string');
    expect(() => call('time.date', [[0, 'Not/AZone']])).toThrow('unknown time zone Not/AZone');
    expect(() => call('time.date', [1.5])).toThrow('timestamp too big');
    expect(() => call('time.add_date', [0, 1000, 0, 0])).toThrow('time outside of valid range');
  });
});
