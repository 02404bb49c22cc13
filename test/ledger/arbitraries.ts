import fc from 'fast-check';
import { LEDGER_ACTIONS, type LedgerEntry } from '../../src/ledger/entry.ts';

const idChars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));

export const rollbackIdArb = fc.string({ unit: idChars, minLength: 8, maxLength: 20 }).map((s) => `rb-${s}`);

const instantArb = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.boolean().map((ms) => (ms ? d.toISOString() : d.toISOString().replace(/\.\d{3}Z$/, 'Z'))));

const decisionArb = fc.record({
  allow: fc.boolean(),
  pending: fc.boolean(),
  reasons: fc.array(fc.record({ reason: fc.string(), enforcement: fc.constantFrom('advisory', 'soft', 'hard') }), { maxLength: 4 }),
  engine: fc.constantFrom('rego', 'opa-wasm'),
});

const linkArb = fc.record({
  rel: fc.constantFrom('origin', 'revert_pr', 'tracking_issue', 'check'),
  url: fc.webUrl({ validSchemes: ['https', 'http'] }),
});

/** Ledger entries are JSON: details hold JSON values (so no -0) and no `__proto__` key. */
export const entryArb: fc.Arbitrary<LedgerEntry> = fc.record(
  {
    v: fc.constant(1 as const),
    rollback_id: rollbackIdArb,
    seq: fc.nat({ max: 100_000 }),
    at: instantArb,
    actor: fc.string({ minLength: 1, maxLength: 40 }),
    action: fc.constantFrom(...LEDGER_ACTIONS),
    decision: fc.option(decisionArb, { nil: null }),
    policy_version: fc.option(fc.stringMatching(/^sha256:[0-9a-f]{64}$/), { nil: null }),
    outcome: fc.string({ maxLength: 30 }),
    links: fc.array(linkArb, { maxLength: 3 }),
    details: fc.dictionary(fc.string({ maxLength: 10 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown), { maxKeys: 5 }),
  },
  { requiredKeys: ['v', 'rollback_id', 'seq', 'at', 'actor', 'action', 'policy_version', 'outcome', 'links', 'details'] },
);

export function sampleEntry(over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    v: 1,
    rollback_id: 'rb-abc12345',
    seq: 0,
    at: '2025-03-04T05:06:07Z',
    actor: 'alice',
    action: 'requested',
    decision: null,
    policy_version: 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    outcome: 'accepted',
    links: [{ rel: 'origin', url: 'https://github.com/acme/web/pull/1' }],
    details: { targets: ['acme/web#1'] },
    ...over,
  };
}
