import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/duration.ts';
import { didYouMean, editDistance } from '../../src/shared/did-you-mean.ts';
import { parseExtends } from '../../src/config/parse-extends.ts';
import { mergeLayers } from '../../src/config/merge-config.ts';
import { formatPath, formatProblem } from '../../src/config/problem.ts';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000], ['15m', 900_000], ['1h30m', 5_400_000], ['2d', 172_800_000], ['250ms', 250], ['0s', 0],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', '5', 'm', '5 minutes', '1.5h', '-1s', '1w', '1h 30m', `${'9'.repeat(70)}s`])('%j is not a duration', (text) => expect(parseDuration(text)).toBeNull());
});

describe('didYouMean', () => {
  it('finds close names and ignores far ones', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('servces', ['services', 'groups', 'paused'])).toBe('services');
    expect(didYouMean('GROUPS', ['services', 'groups'])).toBe('groups');
    expect(didYouMean('xyz', ['services', 'groups'])).toBeNull();
  });
});

describe('parseExtends (Probot convention)', () => {
  const d = { owner: 'acme', path: '.github/unwind.yml' };
  it.each([
    ['.github', { owner: 'acme', repo: '.github', path: '.github/unwind.yml' }],
    ['other/base', { owner: 'other', repo: 'base', path: '.github/unwind.yml' }],
    ['base:conf/unwind.yaml', { owner: 'acme', repo: 'base', path: 'conf/unwind.yaml' }],
    ['other/base:x/y.yml', { owner: 'other', repo: 'base', path: 'x/y.yml' }],
  ])('%s', (text, want) => expect(parseExtends(text, d)).toEqual(want));
  it.each(['', 'a/b/c', 'base:file.txt', '..', 'a b'])('rejects %j', (text) => expect(parseExtends(text, d)).toBeNull());
});

describe('mergeLayers', () => {
  it('merges mappings deeply and replaces lists and scalars', () => {
    expect(mergeLayers([{ revert: { merge_method: 'squash', wait_for: ['a', 'b'] }, owners: ['x'] }, { revert: { wait_for: ['c'] }, paused: true }])).toEqual({
      revert: { merge_method: 'squash', wait_for: ['c'] }, owners: ['x'], paused: true,
    });
  });
});

describe('problem formatting', () => {
  it('formats paths and problems', () => {
    expect(formatPath(['services', 'my api', 'depends_on', 2])).toBe('services["my api"].depends_on[2]');
    expect(formatProblem({ file: 'a.yml', line: 3, col: 5, severity: 'error', path: 'x', message: 'bad', hint: 'fix it' })).toBe('a.yml:3:5: error: bad (at x)\n    hint: fix it');
  });
});
