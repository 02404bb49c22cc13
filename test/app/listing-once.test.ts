/** One reconciler pass lists the App's installations once, for the rollbacks and the veto windows alike. */
import { describe, expect, it } from 'vitest';
import { listingOnce, type Clients } from '../../src/app/clients.ts';

describe('listingOnce', () => {
  it('asks GitHub for the installations once per pass, and again in the next pass', async () => {
    let asked = 0;
    const clients: Clients = {
      forInstallation: () => Promise.reject(new Error('not used')),
      installations: async () => {
        asked++;
        return [{ id: 1, account: 'acme' }];
      },
      deliveries: { list: async () => [], redeliver: async () => undefined },
    };
    const pass = listingOnce(clients);
    expect(await Promise.all([pass.installations(), pass.installations()])).toEqual([[{ id: 1, account: 'acme' }], [{ id: 1, account: 'acme' }]]);
    expect(asked).toBe(1);
    await listingOnce(clients).installations();
    expect(asked).toBe(2);
  });
});
