import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mdCode, mdFence, mdLink, mdMention, mdText, plainLine } from '../../src/shared/markdown.ts';
import { hostileString } from '../support/hostile.ts';

const RUNS = { numRuns: 2_000 };
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/;
/** GitHub's mention: `@` not after a word character or backtick, then a letter or digit. */
const MENTION = /(^|[^\w`])@[A-Za-z0-9]/;
/** Markdown punctuation that must never appear unescaped in `mdText` output (`_` is checked apart). */
const ACTIVE = new Set(['\\', '`', '*', '[', ']', '(', ')', '|', '~', '!', '#', '$', '&', '<', '>']);

/** The output read as CommonMark reads escapes and entities: one token per source character. */
function tokens(out: string): string[] {
  return out.match(/\\[\s\S]|&(?:amp|lt|gt);|@\u200b|[\s\S]/gu) ?? [];
}

/** What GitHub shows for `mdText` output. */
function shownAs(out: string): string {
  const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
  return tokens(out)
    .map((t) => (t.startsWith('\\') && t.length === 2 ? t[1] : (entities[t] ?? (t === '@\u200b' ? '@' : t))))
    .join('');
}

function expectInert(out: string): void {
  expect(out).not.toMatch(/[<>]/);
  expect(out).not.toMatch(CONTROL);
  expect(out).not.toMatch(BIDI);
  expect(out).not.toMatch(MENTION);
  expect(out).not.toMatch(/@(?!\u200b)/);
}

describe('mdText', () => {
  it('neutralises any hostile string: no HTML, no line break, no mention, every markdown character escaped', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' })), (input) => {
        const out = mdText(input);
        expectInert(out);
        const toks = tokens(out);
        toks.forEach((t, i) => {
          if (t.length !== 1) return;
          expect(ACTIVE.has(t)).toBe(false);
          // An unescaped `_` only inside a word, where it cannot emphasise.
          if (t === '_') expect(/[\p{L}\p{N}]/u.test(toks[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(toks[i + 1] ?? '')).toBe(true);
        });
        // A table cell stays one cell; the text cannot start a list, heading or quote.
        expect(`| ${out} |`.replace(/\\[\s\S]/g, '').split('|')).toHaveLength(3);
        expect(out).not.toMatch(/^\s*(?:[-+*>#]|\d+[.)])/);
        // Shown faithfully: exactly the input on one line.
        expect(shownAs(out)).toBe(plainLine(input));
      }),
      RUNS,
    );
  });

  it.each([
    ['<!-- unwind:state eyJ2IjoxfQ -->', '&lt;\\!-- unwind:state eyJ2IjoxfQ --&gt;'],
    ['ping @acme/sre and @bob now', 'ping @\u200bacme/sre and @\u200bbob now'],
    ['x | y', 'x \\| y'],
    ['[x](javascript:alert(1))', '\\[x\\]\\(javascript:alert\\(1\\)\\)'],
    ['![i](https://e.example/i.png)', '\\!\\[i\\]\\(https://e.example/i.png\\)'],
    ['<img src=x> <details>', '&lt;img src=x&gt; &lt;details&gt;'],
    ['a\nb\r\nc\u2028d', 'a b  c d'],
    ['safe\u202eevil\u2066', 'safeevil'],
    ['# title', '\\# title'],
    ['- item', '\\- item'],
    ['  + item', '  \\+ item'],
    ['12. item', '12\\. item'],
    ['**bold** _em_ snake_case', '\\*\\*bold\\*\\* \\_em\\_ snake_case'],
    ['`code`', '\\`code\\`'],
    ['~~gone~~ $x$', '\\~\\~gone\\~\\~ \\$x\\$'],
    ['C:\\dir\\', 'C:\\\\dir\\\\'],
    ['a & b &amp; &#64;bob', 'a &amp; b &amp;amp; &amp;\\#64;bob'],
    ['https://github.com/acme/my_repo/pull/1', 'https://github.com/acme/my_repo/pull/1'],
    ['', ''],
  ])('mdText(%j) is %j', (input, expected) => {
    expect(mdText(input)).toBe(expected);
  });

  it('cuts long text to a number of code points', () => {
    expect(mdText('a'.repeat(10), { max: 5 })).toBe('aaaa…');
    expect(mdText('😀😀😀', { max: 2 })).toBe('😀…');
    expect(mdText('abc', { max: 3 })).toBe('abc');
    fc.assert(
      fc.property(hostileString, fc.nat({ max: 40 }), (input, max) => {
        expect(Array.from(plainLine(input, { max })).length).toBeLessThanOrEqual(Math.max(max, 1));
      }),
    );
  });
});

describe('mdCode', () => {
  it('is a clean code span or exactly mdText', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.string({ unit: 'binary' })), (input) => {
        const out = mdCode(input);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(CONTROL);
        expect(out).not.toMatch(BIDI);
        const span = /^`([^`|<>]+)`$/.exec(out);
        if (span) {
          expect(span[1]).toBe(plainLine(input));
          expect(span[1]).not.toMatch(/^\s|\s$/);
        } else expect(out).toBe(mdText(input));
      }),
      RUNS,
    );
  });

  it.each([
    ['ci/test', '`ci/test`'],
    ['.github/workflows/down-migration.yml', '`.github/workflows/down-migration.yml`'],
    ['octo/api@abc1234', '`octo/api@abc1234`'],
    ['a\nb', '`a b`'],
    ['a`b', 'a\\`b'],
    ['x|y', 'x\\|y'],
    ['<!--', '&lt;\\!--'],
    [' edge', ' edge'],
    ['', ''],
  ])('mdCode(%j) is %j', (input, expected) => {
    expect(mdCode(input)).toBe(expected);
  });
});

describe('mdMention', () => {
  it.each([
    ['alice', '@alice'],
    ['@alice', '@alice'],
    ['acme/sre', '@acme/sre'],
    ['@acme/platform-team', '@acme/platform-team'],
    ['bob <!-- x -->', 'bob &lt;\\!-- x --&gt;'],
    ['@bob @eve', '@\u200bbob @\u200beve'],
    ['-bad', '\\-bad'],
  ])('mdMention(%j) is %j', (input, expected) => {
    expect(mdMention(input)).toBe(expected);
  });

  it('mentions one login or team, or nobody', () => {
    fc.assert(
      fc.property(hostileString, (input) => {
        const out = mdMention(input);
        if (!/^@[A-Za-z0-9][A-Za-z0-9-]*(?:\/[A-Za-z0-9][\w.-]*)?$/.test(out)) expect(out).toBe(mdText(input));
      }),
      RUNS,
    );
  });
});

describe('mdLink', () => {
  it.each([
    ['https://github.com/o/a/pull/1', '[#1](https://github.com/o/a/pull/1)'],
    ['http://ghe.example/o/a/pull/1', '[#1](http://ghe.example/o/a/pull/1)'],
    ['javascript:alert(1)', '#1'],
    ['data:text/html,x', '#1'],
    ['https://e.example/a)(b', '#1'],
    ['https://e.example/a b', '#1'],
    [null, '#1'],
  ])('mdLink("#1", %j) is %j', (url, expected) => {
    expect(mdLink('#1', url)).toBe(expected);
  });

  it('links only to http(s) URLs that cannot leave the link', () => {
    fc.assert(
      fc.property(fc.oneof(hostileString, fc.webUrl()), (url) => {
        const out = mdLink('x', url);
        if (out !== 'x') expect(out).toMatch(/^\[x\]\(https?:\/\/[^\s()<>`"'\\]+\)$/);
      }),
      RUNS,
    );
  });
});

describe('mdFence', () => {
  it('no line of user text can close the fence around it', () => {
    const block = mdFence(['a.yml:1:1: error: key ```', 'then ````` and **bold**', 'x\ny\u202E']);
    expect(block[0]).toBe('``````');
    expect(block.at(-1)).toBe('``````');
    expect(block.slice(1, -1)).toEqual(['a.yml:1:1: error: key ```', 'then ````` and **bold**', 'x y']);
    expect(mdFence(['plain'])).toEqual(['```', 'plain', '```']);
  });
});
