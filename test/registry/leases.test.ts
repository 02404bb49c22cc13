/** Leases and fences: one replica drives a rollback; a replica that lost its lease writes nothing more. */
import { describe, expect, it } from 'vitest';
import { emptyRegistry, type RegistryDoc } from '../../src/registry/registry-doc.ts';
import { dropLease, heldElsewhere, renewLeases, takeLease } from '../../src/registry/leases.ts';
import { Fence, fencedPort, LeaseLostError } from '../../src/registry/fence.ts';
import { LeaseKeeper } from '../../src/registry/lease-keeper.ts';
import { RegistryStore } from '../../src/registry/registry-store.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';
import type { Logger } from '../../src/shared/logger.ts';

const tracking = { repo: 'acme/incidents', number: 3, url: 'https://x/acme/incidents/issues/3' };
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const LEASE = 30_000;

function taken(doc: RegistryDoc, holder: string, now: Date, preempt = false) {
  const out = takeLease(doc, { id: 'rb-aaaaaaaa', holder, now, leaseMs: LEASE, tracking, preempt });
  if (out.kind !== 'taken') throw new Error(`not taken: ${out.kind}`);
  return out;
}

describe('leases (pure)', () => {
  it('one holder at a time; an expired lease is taken with a newer epoch; the same replica takes its own back at once', () => {
    const a = taken(emptyRegistry(), 'r1', t0);
    expect(a.lease).toEqual({ holder: 'r1', epoch: 1, until: at(LEASE).toISOString() });
    // A rollback the registry did not know (tracked before it existed) is registered by the take.
    expect(a.doc.rollbacks['rb-aaaaaaaa'].tracking).toEqual(tracking);
    expect(takeLease(a.doc, { id: 'rb-aaaaaaaa', holder: 'r2', now: at(LEASE - 1), leaseMs: LEASE, tracking })).toEqual({ kind: 'held', lease: a.lease });
    expect(heldElsewhere(a.doc, 'rb-aaaaaaaa', 'r2', at(1))).toEqual(a.lease);
    expect(heldElsewhere(a.doc, 'rb-aaaaaaaa', 'r1', at(1))).toBeNull();
    expect(heldElsewhere(a.doc, 'rb-aaaaaaaa', 'r2', at(LEASE))).toBeNull();
    expect(taken(a.doc, 'r2', at(LEASE)).lease.epoch).toBe(2);
    expect(taken(a.doc, 'r1', at(5)).lease.epoch).toBe(2);
    expect(taken(a.doc, 'r3', at(5), true).lease).toMatchObject({ holder: 'r3', epoch: 2 });
  });

  it('renewal extends only what the holder still holds at its epoch, and names the rest lost', () => {
    const a = taken(emptyRegistry(), 'r1', t0);
    const renewed = renewLeases(a.doc, { holder: 'r1', held: new Map([['rb-aaaaaaaa', 1], ['rb-bbbbbbbb', 1]]), now: at(10_000), leaseMs: LEASE });
    expect(renewed.lost).toEqual(['rb-bbbbbbbb']);
    expect(renewed.doc?.rollbacks['rb-aaaaaaaa'].lease?.until).toBe(at(40_000).toISOString());
    const stolen = taken(a.doc, 'r2', at(LEASE));
    expect(renewLeases(stolen.doc, { holder: 'r1', held: new Map([['rb-aaaaaaaa', 1]]), now: at(LEASE + 1), leaseMs: LEASE })).toEqual({ doc: null, lost: ['rb-aaaaaaaa'] });
    expect(dropLease(stolen.doc, { id: 'rb-aaaaaaaa', holder: 'r1', epoch: 1, now: at(LEASE + 2) })).toBeNull();
    // Given back: expired at once, its epoch kept, so the next take is newer than any state saved under it.
    const dropped = dropLease(stolen.doc, { id: 'rb-aaaaaaaa', holder: 'r2', epoch: 2, now: at(LEASE + 2) })!;
    expect(dropped.rollbacks['rb-aaaaaaaa'].lease).toEqual({ holder: 'r2', epoch: 2, until: at(LEASE + 2).toISOString() });
    expect(taken(dropped, 'r3', at(LEASE + 3)).lease.epoch).toBe(3);
    // A rollback the registry saw end is not registered again by a late take.
    const ended = { ...emptyRegistry(), recent: [{ rollback: 'rb-aaaaaaaa', tracking, status: 'completed', at: t0.toISOString() }] };
    expect(takeLease(ended, { id: 'rb-aaaaaaaa', holder: 'r1', now: t0, leaseMs: LEASE, tracking })).toEqual({ kind: 'ended' });
  });
});

describe('fence', () => {
  it('refuses writes once the lease (less its margin) ran out, or once lost; reads always pass', async () => {
    let clock = 0;
    const fence = new Fence('rb-aaaaaaaa', 'r1', 1, 1_000, 250, () => clock);
    const gh = new FakeGitHub();
    gh.addRepo('acme/api', { files: { 'a.txt': 'a\n' } });
    const port = fencedPort(gh, fence);
    const ref = { owner: 'acme', repo: 'api' };
    await port.createIssue(ref, { title: 'ok', body: 'b' });
    clock = 760;
    expect(() => fence.check()).toThrow(LeaseLostError);
    await expect(port.createIssue(ref, { title: 'late', body: 'b' })).rejects.toThrow(/no longer holds its lease \(the lease ran out/);
    expect((await port.getRepo(ref))?.defaultBranch).toBe('main');
    expect((await gh.listIssues(ref, { state: 'all' })).map((i) => i.title)).toEqual(['ok']);
    const other = new Fence('rb-aaaaaaaa', 'r1', 1, 10_000, 250, () => 0);
    let woke = 0;
    other.onLost(() => woke++);
    other.extend(20_000);
    other.lose('another replica took the lease');
    expect(woke).toBe(1);
    expect(() => other.check()).toThrow(/another replica took the lease/);
  });
});

describe('LeaseKeeper against the registry on GitHub', () => {
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => quiet } as unknown as Logger;
  const trust = { keyring: testKeyring(), botLogin: 'unwind[bot]' };

  it('two replicas: one takes, the other is told who holds; a renewal that finds a newer epoch loses the fence', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'README.md': 'org\n' } });
    const store = () => new RegistryStore(gh, trust, { owner: 'acme', repo: '.github' }, async () => undefined);
    let now = t0;
    let clock = 0;
    const one = new LeaseKeeper({ holder: 'r1', leaseMs: LEASE }, () => now, quiet, () => clock);
    const two = new LeaseKeeper({ holder: 'r2', leaseMs: LEASE }, () => now, quiet, () => clock);
    const [a, b] = await Promise.all([one.acquire(store(), { id: 'rb-aaaaaaaa', tracking }), two.acquire(store(), { id: 'rb-aaaaaaaa', tracking })]);
    const winner = a.kind === 'taken' ? a : b;
    const loser = a.kind === 'taken' ? b : a;
    expect(winner.kind).toBe('taken');
    expect(loser).toMatchObject({ kind: 'held', lease: { epoch: 1 } });
    if (winner.kind !== 'taken') return;
    const [keeper, other] = winner === a ? [one, two] : [two, one];
    // The holder froze past its lease; the other replica takes over.
    now = at(LEASE + 1);
    clock = LEASE + 1;
    const over = await other.acquire(store(), { id: 'rb-aaaaaaaa', tracking });
    expect(over).toMatchObject({ kind: 'taken', previous: { holder: keeper.holder, epoch: 1 } });
    expect(winner.fence.lost).toBe(true);
    await keeper.renewAll();
    expect(() => winner.fence.check()).toThrow(LeaseLostError);
    // The new holder renews fine and gives the lease back when its loop ends.
    await other.renewAll();
    if (over.kind !== 'taken') return;
    expect(over.fence.lost).toBe(false);
    await other.release('rb-aaaaaaaa', true);
    const doc = await store().read();
    expect(doc.rollbacks['rb-aaaaaaaa'].lease).toMatchObject({ holder: other.holder, epoch: 2, until: now.toISOString() });
    one.stop();
    two.stop();
  });
});
