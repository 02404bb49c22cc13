import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_COMMENT_LENGTH, parseLedgerComment, renderLedgerComment } from '../../src/ledger/entry.ts';
import { renderHidden } from '../../src/ledger/hidden-json.ts';
import { LEDGER_SCHEMA_PATH, ledgerEntryJsonSchemaText } from '../../src/ledger/write-schema.ts';
import { entryArb, sampleEntry } from './arbitraries.ts';

describe('renderLedgerComment / parseLedgerComment', () => {
  it('round-trips any valid entry with any text', () => {
    fc.assert(
      fc.property(entryArb, fc.string({ maxLength: 200 }), (entry, text) => {
        expect(parseLedgerComment(renderLedgerComment(entry, text))).toEqual(entry);
      }),
      { numRuns: 300 },
    );
  });

  it('shows the text and a footer with id, seq, time and short policy hash', () => {
    const body = renderLedgerComment(sampleEntry({ seq: 7 }), '**Planned** 2 waves.');
    expect(body.startsWith('**Planned** 2 waves.')).toBe(true);
    expect(body).toContain('`rb-abc12345` · #7 · 2025-03-04 05:06:07Z · requested · policy `0123456789ab`');
    expect(renderLedgerComment(sampleEntry({ policy_version: null }), 'x')).toContain('no policy');
  });

  it('cannot be forged by a hidden record inside the human text', () => {
    const forged = renderHidden('ledger', sampleEntry({ actor: 'mallory', seq: 99 }));
    const body = renderLedgerComment(sampleEntry(), `user said: ${forged}`);
    expect(parseLedgerComment(body)).toEqual(sampleEntry());
  });

  it('rejects invalid entries when rendering, naming the field', () => {
    expect(() => renderLedgerComment(sampleEntry({ rollback_id: 'nope' }), 'x')).toThrow(/rollback_id/);
    expect(() => renderLedgerComment(sampleEntry({ at: '2025-03-04T05:06:07+02:00' }), 'x')).toThrow(/at/);
    expect(() => renderLedgerComment(sampleEntry({ links: [{ rel: 'x', url: 'javascript:alert(1)' }] }), 'x')).toThrow(/links/);

  });

  it('keeps the comment under GitHub’s size limit by truncating the text, not the record', () => {
    const body = renderLedgerComment(sampleEntry(), 'y'.repeat(100_000));
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH);
    expect(body).toContain('(truncated)');
    expect(parseLedgerComment(body)).toEqual(sampleEntry());
  });

  it('drops `__proto__` keys without polluting prototypes', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}, "keep": {"__proto__": {"polluted": true}}}') as Record<string, unknown>;
    const parsed = parseLedgerComment(renderLedgerComment(sampleEntry({ details: hostile }), 'x'));
    expect(parsed === null ? null : Object.keys(parsed.details)).toEqual(['keep']);
    const forged = parseLedgerComment(`x ${renderHidden('ledger', { ...sampleEntry(), details: hostile })}`);
    expect(forged === null ? null : Object.keys(forged.details)).toEqual(['keep']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(forged?.details)).toBe(Object.prototype);
  });

  it('returns null for tampered or foreign records, never throwing', () => {
    const tampered = [
      { ...sampleEntry(), v: 2 },
      { ...sampleEntry(), seq: -1 },
      { ...sampleEntry(), seq: 1.5 },
      { ...sampleEntry(), action: 'deleted' },
      { ...sampleEntry(), extra: true },
      { ...sampleEntry(), decision: { allow: 'yes', pending: false, reasons: [], engine: 'rego' } },
      { ...sampleEntry(), details: [] },
      'a string',
      null,
    ];
    for (const value of tampered) expect(parseLedgerComment(`text\n${renderHidden('ledger', value)}`)).toBeNull();
    const body = renderLedgerComment(sampleEntry(), 'x');
    const payload = body.match(/unwind:ledger (\S+)/)?.[1] ?? '';
    const flipped = payload.slice(0, 10) + (payload[10] === 'A' ? 'B' : 'A') + payload.slice(11);
    expect(() => parseLedgerComment(body.replace(payload, flipped))).not.toThrow();
    expect(parseLedgerComment('plain comment')).toBeNull();
  });

  it('any corruption of the payload yields null or a valid entry, never an exception', () => {
    const body = renderLedgerComment(sampleEntry(), 'x');
    const payload = body.match(/unwind:ledger (\S+)/)?.[1] ?? '';
    fc.assert(
      fc.property(fc.nat({ max: payload.length - 1 }), fc.constantFrom(...'AZaz09-_!'.split('')), (i, ch) => {
        const result = parseLedgerComment(body.replace(payload, payload.slice(0, i) + ch + payload.slice(i + 1)));
        if (result !== null) expect(result.rollback_id).toMatch(/^rb-/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('schemas/ledger-entry.schema.json', () => {
  it('is up to date with LedgerEntrySchema (regenerate: npx tsx src/ledger/write-schema.ts)', () => {
    expect(readFileSync(LEDGER_SCHEMA_PATH, 'utf8')).toBe(ledgerEntryJsonSchemaText());
  });

  it('accepts every entry the code accepts and rejects tampered ones', () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(LEDGER_SCHEMA_PATH, 'utf8')) as object);
    fc.assert(
      fc.property(entryArb, (entry) => {
        expect(validate(JSON.parse(JSON.stringify(entry)))).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect(validate({ ...sampleEntry(), action: 'nope' })).toBe(false);
    expect(validate({ ...sampleEntry(), extra: 1 })).toBe(false);
  });
});
