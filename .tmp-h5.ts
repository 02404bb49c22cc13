import { j } from './test/policy/rego/builtins/call.ts';
console.log(j('time.format', 1703444325734390000), j('time.format', [1257894000000000000, '', '02/01/2006 15:04']), j('time.format', [1703444325734390000, 'America/New_York', 'Mon Jan _2 15:04:05 MST 2006 Z07:00']));
console.log(j('time.parse_rfc3339_ns', '2023-12-24T18:58:45.734390Z'), j('time.parse_rfc3339_ns', '1985-04-12T23:20:50.52+05:30'));
console.log(j('time.parse_ns', '2006-01-02', '2023-02-29'));
console.log(j('time.parse_duration_ns', '1h30m'), j('time.parse_duration_ns', '1.5h'), j('time.parse_duration_ns', '-2µs'), j('time.parse_duration_ns', '300ms'));
console.log(j('time.date', [1703444325734390000, 'Asia/Kolkata']), j('time.clock', [1703444325734390000, 'Asia/Kolkata']), j('time.weekday', 0));
console.log(j('time.add_date', 1706659200000000000, 0, 1, 0), j('time.format', 1709251200000000000), j('time.diff', 0, 1706659200000000000));
