import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../src/shared/did-you-mean.ts';
import { findCommandLines } from '../../src/commands/find-command-lines.ts';
import { tokenize } from '../../src/commands/tokenize.ts';

describe('editDistance / didYouMean', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['abc', 'abd', 1],
    ['aprove', 'approve', 1],
    ['stauts', 'status', 1],
    ['kitten', 'sitting', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('suggests only plausible typos', () => {
    const names = ['plan', 'approve', 'abort', 'retry', 'status', 'drill', 'help'];
    expect(didYouMean('aprove', names)).toBe('approve');
    expect(didYouMean('stat', names, { prefix: true })).toBe('status');
    expect(didYouMean('APPROVE', names)).toBe('approve');
    expect(didYouMean('xyzzy', names)).toBeNull();
    expect(didYouMean('--reasn', ['--reason', '--dry-run'])).toBe('--reason');
  });
});

describe('tokenize', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['"a b" c', ['a b', 'c']],
    ["--reason='x y'", ['--reason=x y']],
    ["it's fine", ["it's", 'fine']],
    ['"say \\"hi\\""', ['say "hi"']],
    ['\u201cx y\u201d', ['x y']],
    ['""', ['']],
  ])('%j', (input, words) => {
    const result = tokenize(input);
    expect(result.ok && result.tokens.map((t) => t.text)).toEqual(words);
  });

  it('marks words that start with a quote, and reports unterminated quotes with their column', () => {
    const result = tokenize('"--dry-run" --reason="x"');
    expect(result.ok && result.tokens.map((t) => t.quoted)).toEqual([true, false]);
    expect(tokenize('a "b', 11)).toEqual({ ok: false, problem: 'the quote " opened at column 13 is never closed' });
  });
});

describe('findCommandLines', () => {
  it('finds commands outside fences, quotes and HTML comments, with line and column', () => {
    const body = ['hi', '  /rollback #1', '```', '/rollback #2', '```', '> /rollback #3', '<!-- /rollback #4 -->', '/rollback'].join('\n');
    expect(findCommandLines(body)).toEqual([
      { line: 2, args: ' #1', column: 12 },
      { line: 8, args: '', column: 10 },
    ]);
  });
});
