/** The registry's three moves for one rollback: take every lock of its plan, say where it is tracked, let go when it ends. */
import type { GitHubPort } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { Trust } from '../trust/trust.ts';
import { release, setTracking, takeLocks, type Tracking } from './registry-doc.ts';
import { RegistryStore } from './registry-store.ts';

export type Holder = { readonly repo: string; readonly rollback: string; readonly tracking: Tracking | null };

/** The registry of the org whose config repo is `configRepo` (`owner/.github`). */
export function registryOf(port: GitHubPort, trust: Trust, configRepo: string): RegistryStore {
  return new RegistryStore(port, trust, parseRepo(configRepo));
}

/** Takes every lock of `repos` for `id` in one commit; the holders when another rollback has any of them (nothing taken then). */
export async function lockPlan(store: RegistryStore, p: { id: string; repos: readonly string[]; now: Date }): Promise<Holder[]> {
  let holders: Holder[] = [];
  await store.update((doc) => {
    const outcome = takeLocks(doc, { id: p.id, repos: p.repos, tracking: null, now: p.now });
    holders = outcome.kind === 'held' ? outcome.holders : [];
    // Held by another rollback, or already by this very one (a redelivered command): nothing to write.
    return outcome.kind === 'held' || outcome.doc === doc ? null : outcome.doc;
  }, `${p.id}: lock ${[...new Set(p.repos)].sort().join(', ')}`);
  return holders;
}

/** Holders of any of `repos` other than `id`, without taking anything (a dry run). */
export async function holdersOf(store: RegistryStore, p: { id: string; repos: readonly string[]; now: Date }): Promise<Holder[]> {
  const outcome = takeLocks(await store.read(), { id: p.id, repos: p.repos, tracking: null, now: p.now });
  return outcome.kind === 'held' ? outcome.holders : [];
}

export async function trackRollback(store: RegistryStore, id: string, where: Tracking): Promise<void> {
  await store.update((doc) => setTracking(doc, id, where), `${id}: tracked at ${where.repo}#${where.number}`);
}

/** Releases every lock of `id` (idempotent): the rollback completed, was aborted or denied. */
export async function finishRollback(store: RegistryStore, p: { id: string; status: string; now: Date }): Promise<void> {
  await store.update((doc) => release(doc, p), `${p.id}: ${p.status}, locks released`);
}
