/**
 * The rollback registry of an org (pure): which repository is locked by which active rollback, and
 * where each active rollback is tracked. Kept as one document on a branch of the org config repo and
 * changed only by compare-and-swap (see registry-store.ts), so taking every lock of a plan is all or
 * nothing, and two replicas or two commands can never both take the same repository.
 * The tracking issue stays the source of truth for a rollback's own state; this only coordinates.
 */
import { z } from 'zod';
import { ROLLBACK_ID_PATTERN } from '../shared/rollback-id.ts';

const repoName = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);
const rollbackId = z.string().regex(new RegExp(ROLLBACK_ID_PATTERN));
const instant = z.iso.datetime();
const tracking = z.strictObject({ repo: repoName, number: z.number().int().positive(), url: z.string() });
/** Which replica drives a running rollback, from which epoch (bumped at every take), until when (see leases.ts). */
const lease = z.strictObject({ holder: z.string().min(1).max(200), epoch: z.number().int().positive(), until: instant });

export const RegistryDocSchema = z.strictObject({
  v: z.literal(1),
  /** Repository → the active rollback holding it. */
  locks: z.record(repoName, z.strictObject({ rollback: rollbackId, since: instant })),
  /** Active rollbacks: where each is tracked (null between taking its locks and opening its tracking issue). */
  rollbacks: z.record(rollbackId, z.strictObject({ tracking: tracking.nullable(), since: instant, lease: lease.nullable().optional() })),
  /** The last rollbacks that finished, newest first (for the rollbacks page and `status`). */
  recent: z.array(z.strictObject({ rollback: rollbackId, tracking: tracking.nullable(), status: z.string(), at: instant })),
});

export type RegistryDoc = z.infer<typeof RegistryDocSchema>;
export type Tracking = z.infer<typeof tracking>;
export type Lease = z.infer<typeof lease>;

export const MAX_RECENT = 50;

export function emptyRegistry(): RegistryDoc {
  return { v: 1, locks: {}, rollbacks: {}, recent: [] };
}

export type TakeOutcome = { readonly kind: 'taken'; readonly doc: RegistryDoc } | { readonly kind: 'held'; readonly holders: Array<{ repo: string; rollback: string; tracking: Tracking | null }> };

/** Every lock of `repos` for rollback `id`, or none: the repositories another rollback holds. Taking again what `id` holds gives back the same document. */
export function takeLocks(doc: RegistryDoc, p: { id: string; repos: readonly string[]; tracking: Tracking | null; now: Date }): TakeOutcome {
  const holders: Array<{ repo: string; rollback: string; tracking: Tracking | null }> = [];
  for (const repo of new Set(p.repos)) {
    const lock = Object.hasOwn(doc.locks, repo) ? doc.locks[repo] : undefined;
    if (lock && lock.rollback !== p.id) holders.push({ repo, rollback: lock.rollback, tracking: trackingOf(doc, lock.rollback) });
  }
  if (holders.length) return { kind: 'held', holders };
  const previous = Object.hasOwn(doc.rollbacks, p.id) ? doc.rollbacks[p.id] : undefined;
  if (previous && !p.tracking && p.repos.every((r) => Object.hasOwn(doc.locks, r))) return { kind: 'taken', doc };
  const at = p.now.toISOString();
  const locks = { ...doc.locks };
  for (const repo of p.repos) if (!Object.hasOwn(locks, repo)) locks[repo] = { rollback: p.id, since: at };
  const rollbacks = { ...doc.rollbacks, [p.id]: { ...previous, tracking: p.tracking ?? previous?.tracking ?? null, since: previous?.since ?? at } };
  return { kind: 'taken', doc: { ...doc, locks, rollbacks } };
}

/** Records where rollback `id` is tracked (its locks were taken before the issue existed). */
export function setTracking(doc: RegistryDoc, id: string, where: Tracking): RegistryDoc | null {
  const entry = Object.hasOwn(doc.rollbacks, id) ? doc.rollbacks[id] : undefined;
  // A rollback that already finished (its start records where it is tracked while it runs) keeps it in `recent`.
  if (!entry) {
    const i = doc.recent.findIndex((r) => r.rollback === id && r.tracking === null);
    return i < 0 ? null : { ...doc, recent: doc.recent.map((r, k) => (k === i ? { ...r, tracking: where } : r)) };
  }
  if (entry.tracking?.number === where.number && entry.tracking.repo === where.repo) return null;
  return { ...doc, rollbacks: { ...doc.rollbacks, [id]: { ...entry, tracking: where } } };
}

/** Releases every lock of rollback `id` and moves it to `recent` (null: nothing to change). */
export function release(doc: RegistryDoc, p: { id: string; status: string; now: Date; tracking?: Tracking | null }): RegistryDoc | null {
  const entry = Object.hasOwn(doc.rollbacks, p.id) ? doc.rollbacks[p.id] : undefined;
  const locks = Object.fromEntries(Object.entries(doc.locks).filter(([, l]) => l.rollback !== p.id));
  if (!entry && Object.keys(locks).length === Object.keys(doc.locks).length) return null;
  const rollbacks = Object.fromEntries(Object.entries(doc.rollbacks).filter(([id]) => id !== p.id));
  const recent = [{ rollback: p.id, tracking: entry?.tracking ?? p.tracking ?? null, status: p.status, at: p.now.toISOString() }, ...doc.recent.filter((r) => r.rollback !== p.id)].slice(0, MAX_RECENT);
  return { ...doc, locks, rollbacks, recent };
}

/** Rollback `id` is active here or among the recent finished ones. */
export function knowsRollback(doc: RegistryDoc, id: string): boolean {
  return Object.hasOwn(doc.rollbacks, id) || doc.recent.some((r) => r.rollback === id);
}

export function trackingOf(doc: RegistryDoc, id: string): Tracking | null {
  return Object.hasOwn(doc.rollbacks, id) ? doc.rollbacks[id].tracking : null;
}
