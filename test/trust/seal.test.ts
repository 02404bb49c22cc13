import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHidden } from '../../src/ledger/hidden-json.ts';
import { Keyring } from '../../src/trust/keyring.ts';
import { sealHidden, unsealHidden } from '../../src/trust/seal.ts';
import { testKeyring } from '../support/test-keyring.ts';

const ring = testKeyring();
const value = { id: 'rb-1', status: 'awaiting_approval', steps: [1, 2, 3] };

describe('sealed hidden records', () => {
  it('round-trips a value sealed for one place', () => {
    const body = `text\n${sealHidden('state', 'acme/api', value, ring)}`;
    expect(unsealHidden('state', 'acme/api', body, ring)).toEqual({ ok: true, value });
    expect(unsealHidden('state', 'ACME/Api', body, ring)).toEqual({ ok: true, value });
  });

  it('refuses a record moved to another place, signed by another key, unsigned, duplicated or absent', () => {
    const block = sealHidden('state', 'acme/api', value, ring);
    expect(unsealHidden('state', 'acme/web', block, ring)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(unsealHidden('ledger', 'acme/api', block.replace('unwind:state', 'unwind:ledger'), ring)).toEqual({ ok: false, problem: 'bad_signature' });
    const stranger = Keyring.of([{ kid: 'test', secret: Buffer.alloc(32, 9) }]);
    expect(unsealHidden('state', 'acme/api', sealHidden('state', 'acme/api', value, stranger), ring)).toEqual({ ok: false, problem: 'bad_signature' });
    expect(unsealHidden('state', 'acme/api', renderHidden('state', value), ring)).toEqual({ ok: false, problem: 'unsigned' });
    expect(unsealHidden('state', 'acme/api', `${block}\n${block}`, ring)).toEqual({ ok: false, problem: 'several' });
    expect(unsealHidden('state', 'acme/api', `${block}\n<!-- unwind:state broken`, ring)).toEqual({ ok: false, problem: 'several' });
    expect(unsealHidden('state', 'acme/api', 'no state here', ring)).toEqual({ ok: false, problem: 'missing' });
  });

  it('refuses any single-character change to a sealed block (payload or signature)', () => {
    const block = sealHidden('state', 'acme/api', value, ring);
    const start = block.indexOf(' ', 5) + 1;
    const end = block.lastIndexOf(' -->');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end - 1 }), fc.constantFrom(...'AZaz09-_.'), (i, ch) => {
        fc.pre(block[i] !== ch);
        const changed = block.slice(0, i) + ch + block.slice(i + 1);
        expect(unsealHidden('state', 'acme/api', changed, ring).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
