import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHidden, renderHidden, stripHidden } from '../../src/ledger/hidden-json.ts';

describe('renderHidden / parseHidden', () => {
  it('round-trips any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(parseHidden('state', renderHidden('state', value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  it('renders an HTML comment that cannot be closed early and has no markdown-active characters', () => {
    const html = renderHidden('ledger', { text: '--> <script> `x` -- *bold*', emoji: '🙂' });
    expect(html).toMatch(/^<!-- unwind:ledger [A-Za-z0-9_-]+ -->$/);
    expect(html.slice(4, -3)).not.toContain('--');
  });

  it('finds the record among surrounding markdown and survives CRLF and re-wrapping', () => {
    const hidden = renderHidden('ledger', { a: 1, long: 'x'.repeat(300) });
    const body = `# Title\r\n\r\nSome *text*.\r\n${hidden}\r\n`;
    expect(parseHidden('ledger', body)).toEqual({ a: 1, long: 'x'.repeat(300) });
    const payload = hidden.split(' ')[2];
    const wrapped = `<!-- unwind:ledger ${payload.slice(0, 40)}\n${payload.slice(40)} -->`;
    expect(parseHidden('ledger', wrapped)).toEqual({ a: 1, long: 'x'.repeat(300) });
  });

  it('returns the first record of the requested tag only', () => {
    const body = `${renderHidden('state', 1)}\n${renderHidden('ledger', 2)}\n${renderHidden('ledger', 3)}`;
    expect(parseHidden('ledger', body)).toBe(2);
    expect(parseHidden('state', body)).toBe(1);
    expect(parseHidden('other', body)).toBeNull();
  });

  it('returns null for absent, truncated or corrupt blocks, never throwing', () => {
    const good = renderHidden('ledger', { a: 1 });
    const payload = good.split(' ')[2];
    const bad = [
      '',
      'no record here',
      `<!-- unwind:ledger ${payload}`,
      `<!-- unwind:ledger ${payload.slice(0, -3)} -->`,
      `<!-- unwind:ledger ${payload}!! -->`,
      `<!-- unwind:ledger ${Buffer.from('{"a":').toString('base64url')} -->`,
      `<!-- unwind:ledger ${Buffer.from([0xff, 0xfe, 0xfd]).toString('base64url')} -->`,
      '<!-- unwind:ledger -->',
      '<!-- unwind:ledger a -->',
      `<!-- unwind:ledgerx ${payload} -->`,
    ];
    for (const body of bad) expect(parseHidden('ledger', body)).toBeNull();
    expect(parseHidden('ledger', undefined as unknown as string)).toBeNull();
    expect(parseHidden('Bad Tag', good)).toBeNull();
  });

  it('never throws on arbitrary text around or inside a block', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(() => parseHidden('ledger', `${a}<!-- unwind:ledger ${b} -->`)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('rejects bad tags and values that are not JSON', () => {
    expect(() => renderHidden('a--b', 1)).toThrow(/tag/);
    expect(() => renderHidden('ledger', undefined)).toThrow(/JSON/);
  });

  it('stripHidden removes records and neutralises comment openers', () => {
    const forged = `quote: ${renderHidden('ledger', { forged: true })} and <!-- open`;
    const clean = stripHidden(forged);
    expect(parseHidden('ledger', clean)).toBeNull();
    expect(clean).not.toContain('<!--');
  });
});
