/**
 * Leases (pure): which replica drives each running rollback. A replica takes the lease of a rollback
 * before running its loop, renews every lease it holds in one commit now and then, and lets go when
 * the loop ends. A lease that was not renewed in time has expired and any replica may take it; every
 * take bumps the epoch, so a replica that lost its lease (it died, froze, or was cut off) finds a
 * newer epoch in the registry and in the tracking issue's state, and writes nothing more (fence.ts).
 */
import type { Lease, RegistryDoc, Tracking } from './registry-doc.ts';

export type TakeLeaseOutcome =
  | { readonly kind: 'taken'; readonly doc: RegistryDoc; readonly lease: Lease }
  /** Another replica holds a lease that has not expired. */
  | { readonly kind: 'held'; readonly lease: Lease }
  /** The rollback ended (the registry lists it among the recent ones): nobody drives it. */
  | { readonly kind: 'ended' };

/**
 * The lease of rollback `id` for `holder`: free, expired, or already this holder's (a restarted
 * replica with the same id takes its own leases back at once). `preempt` takes it even from a live
 * holder (abort and retry do, then wait out the old lease before they write).
 */
export function takeLease(doc: RegistryDoc, p: { id: string; holder: string; now: Date; leaseMs: number; tracking: Tracking | null; preempt?: boolean }): TakeLeaseOutcome {
  const entry = Object.hasOwn(doc.rollbacks, p.id) ? doc.rollbacks[p.id] : undefined;
  // A rollback the registry saw end is not registered again (a woken replica, a state put back by hand).
  if (!entry && doc.recent.some((r) => r.rollback === p.id)) return { kind: 'ended' };
  const current = entry?.lease ?? null;
  if (current && current.holder !== p.holder && !p.preempt && Date.parse(current.until) > p.now.getTime()) return { kind: 'held', lease: current };
  const lease: Lease = { holder: p.holder, epoch: (current?.epoch ?? 0) + 1, until: new Date(p.now.getTime() + p.leaseMs).toISOString() };
  // A rollback the registry does not know (tracked before the registry existed) is registered here.
  const next = { tracking: entry?.tracking ?? p.tracking, since: entry?.since ?? p.now.toISOString(), lease };
  return { kind: 'taken', doc: { ...doc, rollbacks: { ...doc.rollbacks, [p.id]: next } }, lease };
}

/** Extends every lease `holder` still holds at the epoch it knows; the ones it lost are listed (null doc: nothing to write). */
export function renewLeases(doc: RegistryDoc, p: { holder: string; held: ReadonlyMap<string, number>; now: Date; leaseMs: number }): { doc: RegistryDoc | null; lost: string[] } {
  const lost: string[] = [];
  const rollbacks = { ...doc.rollbacks };
  let changed = false;
  for (const [id, epoch] of p.held) {
    const entry = Object.hasOwn(rollbacks, id) ? rollbacks[id] : undefined;
    if (!entry?.lease || entry.lease.holder !== p.holder || entry.lease.epoch !== epoch) {
      lost.push(id);
      continue;
    }
    rollbacks[id] = { ...entry, lease: { ...entry.lease, until: new Date(p.now.getTime() + p.leaseMs).toISOString() } };
    changed = true;
  }
  return { doc: changed ? { ...doc, rollbacks } : null, lost };
}

/**
 * Gives the lease back (its loop ended here without finishing the rollback, e.g. on shutdown): it
 * expires now, and keeps its epoch, so the next take writes a newer one than any state saved under it.
 */
export function dropLease(doc: RegistryDoc, p: { id: string; holder: string; epoch: number; now: Date }): RegistryDoc | null {
  const entry = Object.hasOwn(doc.rollbacks, p.id) ? doc.rollbacks[p.id] : undefined;
  if (!entry?.lease || entry.lease.holder !== p.holder || entry.lease.epoch !== p.epoch) return null;
  return { ...doc, rollbacks: { ...doc.rollbacks, [p.id]: { ...entry, lease: { ...entry.lease, until: p.now.toISOString() } } } };
}

/** The live lease of a rollback held by another replica, if any (the reconciler leaves those alone). */
export function heldElsewhere(doc: RegistryDoc, id: string, holder: string, now: Date): Lease | null {
  const lease = Object.hasOwn(doc.rollbacks, id) ? (doc.rollbacks[id].lease ?? null) : null;
  return lease && lease.holder !== holder && Date.parse(lease.until) > now.getTime() ? lease : null;
}
