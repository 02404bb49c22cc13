/** The registry's three moves for one rollback: take every lock of its plan, say where it is tracked, let go when it ends. */
import type { GitHubPort } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { Trust } from '../trust/trust.ts';
import { release, setTracking, takeLocks, type RegistryDoc, type Tracking } from './registry-doc.ts';
import { RegistryStore } from './registry-store.ts';

export type Holder = { readonly repo: string; readonly rollback: string; readonly tracking: Tracking | null };

/** The registry of the org whose config repo is `configRepo` (`owner/.github`). */
export function registryOf(port: GitHubPort, trust: Trust, configRepo: string): RegistryStore {
  return new RegistryStore(port, trust, parseRepo(configRepo));
}

/** Takes every lock of `repos` for `id` in one commit; the holders when another rollback has any of them (nothing taken then). */
export async function lockPlan(store: RegistryStore, p: { id: string; repos: readonly string[]; now: Date }): Promise<Holder[]> {
  let holders: Holder[] = [];
  const change = lockChange(p, (h) => (holders = h));
  // Held by another rollback, or already by this very one (a redelivered command): nothing to write.
  await store.update((doc) => {
    const next = change(doc);
    return next === doc ? null : next;
  }, lockMessage(p));
  return holders;
}

/**
 * The change that takes every lock of `repos` for `id`, for a commit that may do more (the start takes its
 * claim with it): null when another rollback holds any of them, whose holders `held` is told (empty otherwise).
 */
export function lockChange(p: { id: string; repos: readonly string[]; now: Date }, held: (holders: Holder[]) => void): (doc: RegistryDoc) => RegistryDoc | null {
  return (doc) => {
    const outcome = takeLocks(doc, { id: p.id, repos: p.repos, tracking: null, now: p.now });
    held(outcome.kind === 'held' ? outcome.holders : []);
    return outcome.kind === 'held' ? null : outcome.doc;
  };
}

export function lockMessage(p: { id: string; repos: readonly string[] }): string {
  return `${p.id}: lock ${[...new Set(p.repos)].sort().join(', ')}`;
}

/** Records where rollback `id` is tracked (a change for a commit that may do more). */
export function trackChange(id: string, where: Tracking): { change: (doc: RegistryDoc) => RegistryDoc | null; message: string } {
  return { change: (doc) => setTracking(doc, id, where), message: `${id}: tracked at ${where.repo}#${where.number}` };
}

/** Holders of any of `repos` other than `id`, without taking anything (a dry run). */
export async function holdersOf(store: RegistryStore, p: { id: string; repos: readonly string[]; now: Date }): Promise<Holder[]> {
  const outcome = takeLocks(await store.read(), { id: p.id, repos: p.repos, tracking: null, now: p.now });
  return outcome.kind === 'held' ? outcome.holders : [];
}

export async function trackRollback(store: RegistryStore, id: string, where: Tracking): Promise<void> {
  const { change, message } = trackChange(id, where);
  await store.update(change, message);
}

/**
 * Releases every lock of `id` (idempotent): the rollback completed, was aborted or denied. `tracking`: where it is
 * tracked, when the caller knows (the registry may not yet: a start records it while the rollback runs).
 */
export async function finishRollback(store: RegistryStore, p: { id: string; status: string; now: Date; tracking?: Tracking | null }): Promise<void> {
  await store.update((doc) => release(doc, p), `${p.id}: ${p.status}, locks released`);
}
