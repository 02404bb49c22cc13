/**
 * Lease renewals when registry writes are slow or fail: a fence runs from the moment its renewed lease
 * was computed (not from before a lost compare-and-swap), and a failed renewal is tried again at once
 * instead of a period later. The clock and timers are fake; the registry is the in-memory GitHub.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeaseKeeper } from '../../src/registry/lease-keeper.ts';
import { RegistryStore } from '../../src/registry/registry-store.ts';
import { lockChange, lockMessage, lockPlan, trackChange } from '../../src/registry/registry-locks.ts';
import type { GitHubPort } from '../../src/github/port.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

const LEASE = 30_000;
const MARGIN = LEASE / 4;
const tracking = { repo: 'acme/incidents', number: 3, url: 'https://x/acme/incidents/issues/3' };
const trust = { keyring: testKeyring(), botLogin: 'unwind[bot]' };
const configRepo = { owner: 'acme', repo: '.github' };

function logger(lines: string[]): Logger {
  const log = { info: (_o: unknown, m?: string) => lines.push(`info ${m}`), warn: (_o: unknown, m?: string) => lines.push(`warn ${m}`), error: () => undefined, debug: () => undefined, child: () => log };
  return log as unknown as Logger;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseKeeper under slow or failing registry writes', () => {
  it('extends a fence from the attempt that was written, not from before a lost race', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'README.md': 'org\n' } });
    let clock = 0;
    let raceOnce = false;
    // Every write takes 5 s by the replica's clock; when asked, another writer commits first (the write conflicts).
    const slow = new Proxy(gh, {
      get(target, name, receiver) {
        if (name !== 'writeBranchFile') return Reflect.get(target, name, receiver);
        return async (...args: Parameters<GitHubPort['writeBranchFile']>) => {
          if (raceOnce) {
            raceOnce = false;
            await lockPlan(new RegistryStore(gh, trust, configRepo, async () => undefined), { id: 'rb-bbbbbbbb', repos: ['acme/other'], now: new Date() });
          }
          clock += 5_000;
          return gh.writeBranchFile(...args);
        };
      },
    }) as unknown as GitHubPort;
    const store = new RegistryStore(slow, trust, configRepo, async () => undefined);
    const keeper = new LeaseKeeper({ holder: 'r1', leaseMs: LEASE }, () => new Date(Date.UTC(2026, 0, 1) + clock), logger([]), () => clock);
    const taken = await keeper.acquire(store, { id: 'rb-aaaaaaaa', tracking });
    if (taken.kind !== 'taken') throw new Error('not taken');
    keeper.stop();
    // Taken at clock 0 (the write then took 5 s): the fence runs out at 0 + LEASE, less the margin.
    expect(clock).toBe(5_000);
    expect(taken.fence.remainingMs()).toBe(LEASE - MARGIN - 5_000);
    // A renewal whose first attempt loses the race (5 s) and whose second is written (5 s more):
    // the lease written by the second attempt runs from clock 10,000, and so does the fence.
    raceOnce = true;
    expect(await keeper.renewAll()).toBe(true);
    expect(clock).toBe(15_000);
    expect(taken.fence.remainingMs()).toBe(10_000 + LEASE - MARGIN - 15_000);
    const lease = (await store.read()).rollbacks['rb-aaaaaaaa'].lease!;
    expect(Date.parse(lease.until)).toBe(Date.UTC(2026, 0, 1) + 10_000 + LEASE);
  });

  it('tries a failed renewal again at once, not a period later, and says when renewals eat the slack', async () => {
    vi.useFakeTimers();
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'README.md': 'org\n' } });
    let failures = 0;
    let writes = 0;
    const flaky = new Proxy(gh, {
      get(target, name, receiver) {
        if (name !== 'writeBranchFile') return Reflect.get(target, name, receiver);
        return async (...args: Parameters<GitHubPort['writeBranchFile']>) => {
          writes++;
          if (failures > 0) {
            failures--;
            throw new Error('502 Bad Gateway');
          }
          return gh.writeBranchFile(...args);
        };
      },
    }) as unknown as GitHubPort;
    const lines: string[] = [];
    const store = new RegistryStore(flaky, trust, configRepo, async () => undefined);
    const keeper = new LeaseKeeper({ holder: 'r1', leaseMs: LEASE }, () => new Date(), logger(lines), () => Date.now());
    const taken = await keeper.acquire(store, { id: 'rb-aaaaaaaa', tracking });
    if (taken.kind !== 'taken') throw new Error('not taken');
    expect(writes).toBe(1);
    failures = 2;
    // The first renewal comes a third of the lease later and fails; the next two come 250 ms apart.
    await vi.advanceTimersByTimeAsync(LEASE / 3);
    expect(writes).toBe(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(writes).toBe(3);
    await vi.advanceTimersByTimeAsync(250);
    expect(writes).toBe(4);
    expect(lines.filter((l) => l === 'warn could not renew leases; will retry')).toHaveLength(2);
    // Written: the fence runs a whole lease from then, and the next renewal is a period away again.
    expect(taken.fence.remainingMs()).toBe(LEASE - MARGIN);
    await vi.advanceTimersByTimeAsync(LEASE / 3 - 1);
    expect(writes).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(writes).toBe(5);
    expect(taken.fence.lost).toBe(false);
    keeper.stop();
    await vi.advanceTimersByTimeAsync(LEASE);
    expect(writes).toBe(5);
  });

  it('renews sooner when a fence has less than two periods left, and warns that writes are slow for this lease', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'README.md': 'org\n' } });
    let clock = 0;
    let writeMs = 0;
    const slow = new Proxy(gh, {
      get(target, name, receiver) {
        if (name !== 'writeBranchFile') return Reflect.get(target, name, receiver);
        return async (...args: Parameters<GitHubPort['writeBranchFile']>) => {
          clock += writeMs;
          return gh.writeBranchFile(...args);
        };
      },
    }) as unknown as GitHubPort;
    const lines: string[] = [];
    const store = new RegistryStore(slow, trust, configRepo, async () => undefined);
    const keeper = new LeaseKeeper({ holder: 'r1', leaseMs: LEASE }, () => new Date(Date.UTC(2026, 0, 1) + clock), logger(lines), () => clock);
    const taken = await keeper.acquire(store, { id: 'rb-aaaaaaaa', tracking });
    if (taken.kind !== 'taken') throw new Error('not taken');
    keeper.stop();
    // The replica was busy: 18 s passed before this renewal (4.5 s of slack left), and the write took 3 s.
    clock = 18_000;
    writeMs = 3_000;
    await keeper.renewAll();
    expect(lines).toContain('warn renewing leases took more than half of the time they had left: registry writes are slow for this lease time (UNWIND_LEASE_MS)');
    expect(taken.fence.remainingMs()).toBe(18_000 + LEASE - MARGIN - 21_000);
  });
});

describe('LeaseKeeper: the start in two registry commits', () => {
  it('takes the locks with the claim in one commit, records the tracking issue with a renewal in the next, and writes nothing when a lock is held', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'README.md': 'org\n' } });
    const writes: string[] = [];
    const counted = new Proxy(gh, {
      get(target, name, receiver) {
        if (name !== 'writeBranchFile') return Reflect.get(target, name, receiver);
        return async (...args: Parameters<GitHubPort['writeBranchFile']>) => {
          writes.push(args[1].message);
          return gh.writeBranchFile(...args);
        };
      },
    }) as unknown as GitHubPort;
    let clock = 0;
    const store = new RegistryStore(counted, trust, configRepo, async () => undefined);
    const keeper = new LeaseKeeper({ holder: 'r1', leaseMs: LEASE }, () => new Date(Date.UTC(2026, 0, 1) + clock), logger([]), () => clock);
    const lock = { id: 'rb-aaaaaaaa', repos: ['acme/api', 'acme/web'], now: new Date(Date.UTC(2026, 0, 1)) };
    const taken = await keeper.acquire(store, { id: lock.id, tracking: null, alongside: { change: lockChange(lock, () => undefined), message: lockMessage(lock) } });
    if (taken.kind !== 'taken') throw new Error('not taken');
    keeper.stop();
    expect(writes).toEqual(['rb-aaaaaaaa: lock acme/api, acme/web; lease taken by r1']);
    let doc = await store.read();
    expect(Object.keys(doc.locks)).toEqual(['acme/api', 'acme/web']);
    expect(doc.rollbacks['rb-aaaaaaaa'].lease).toMatchObject({ holder: 'r1', epoch: 1 });

    // Another rollback wanting acme/web is refused, and nothing is written.
    let holders: unknown[] = [];
    const other = { id: 'rb-bbbbbbbb', repos: ['acme/web'], now: lock.now };
    const refused = await keeper.acquire(store, { id: other.id, tracking: null, alongside: { change: lockChange(other, (h) => (holders = h)), message: lockMessage(other) } });
    expect(refused).toEqual({ kind: 'refused' });
    expect(holders).toEqual([{ repo: 'acme/web', rollback: 'rb-aaaaaaaa', tracking: null }]);
    expect(writes).toHaveLength(1);

    // The tracking issue, with the claim renewed (same epoch): the loop can drive with this fence.
    clock = 4_000;
    const where = { repo: 'acme/incidents', number: 7, url: 'https://x/acme/incidents/issues/7' };
    const { change, message } = trackChange(lock.id, where);
    expect(await keeper.renewWith(store, taken.fence, change, message)).toBe(true);
    expect(writes.at(-1)).toBe('rb-aaaaaaaa: tracked at acme/incidents#7; lease renewed by r1');
    doc = await store.read();
    expect(doc.rollbacks['rb-aaaaaaaa']).toMatchObject({ tracking: where, lease: { holder: 'r1', epoch: 1, until: new Date(Date.UTC(2026, 0, 1) + 4_000 + LEASE).toISOString() } });
    expect(taken.fence.remainingMs()).toBe(LEASE - MARGIN);
    expect(keeper.holds(taken.fence)).toBe(true);

    // A fence that lost its lease still records the tracking issue, and says it no longer holds.
    const two = new LeaseKeeper({ holder: 'r2', leaseMs: LEASE }, () => new Date(Date.UTC(2026, 0, 1) + clock), logger([]), () => clock);
    expect((await two.acquire(store, { id: lock.id, tracking: where, preempt: true })).kind).toBe('taken');
    two.stop();
    const moved = { ...where, number: 8, url: 'https://x/acme/incidents/issues/8' };
    const again = trackChange(lock.id, moved);
    expect(await keeper.renewWith(store, taken.fence, again.change, again.message)).toBe(false);
    expect(taken.fence.lost).toBe(true);
    expect((await store.read()).rollbacks['rb-aaaaaaaa']).toMatchObject({ tracking: moved, lease: { holder: 'r2', epoch: 2 } });
  });
});
