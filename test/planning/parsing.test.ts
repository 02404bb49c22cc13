import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/planning/parse-target.ts';
import { parseDependsOn } from '../../src/planning/parse-depends-on.ts';

describe('parseTarget', () => {
  it.each([
    ['acme/api#12', { kind: 'pull', repo: 'acme/api', number: 12 }],
    ['https://github.com/acme/api/pull/12', { kind: 'pull', repo: 'acme/api', number: 12 }],
    ['https://ghe.example.com/acme/api/pull/12/files', null],
    ['https://github.com/acme/api/pull/12#issuecomment-1', { kind: 'pull', repo: 'acme/api', number: 12 }],
    ['acme/api@ABCDEF1', { kind: 'commit', repo: 'acme/api', sha: 'abcdef1' }],
    ['https://github.com/acme/api/commit/0123456789abcdef0123456789abcdef01234567', { kind: 'commit', repo: 'acme/api', sha: '0123456789abcdef0123456789abcdef01234567' }],
    ['acme/api#0', null],
    ['acme/api@xyz1234', null],
    ['acme#12', null],
    ['#12', null],
  ])('%s', (text, want) => expect(parseTarget(text)).toEqual(want));
});

describe('parseDependsOn', () => {
  it('reads every Depends-On line, short refs and URLs, case-insensitively, without duplicates', () => {
    const body = [
      'Fixes things.',
      'Depends-On: acme/api#12',
      'depends-on: https://github.com/acme/web/pull/40',
      '- Depends-On: acme/db#3',
      '> DEPENDS-ON: acme/api#12',
      'Depends-On: not a ref',
      'This Depends-On: acme/x#1 is prose, not a trailer',
      '```\nDepends-On: <acme/lib#7>\n```',
    ].join('\n');
    expect(parseDependsOn(body)).toEqual([
      { repo: 'acme/api', number: 12 },
      { repo: 'acme/web', number: 40 },
      { repo: 'acme/db', number: 3 },
      { repo: 'acme/lib', number: 7 },
    ]);
  });
  it('ignores bodies without links', () => expect(parseDependsOn('nothing here\r\nDepends on: a/b#1')).toEqual([]));
});
