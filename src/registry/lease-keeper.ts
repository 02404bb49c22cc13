/**
 * The leases this replica holds: taken before a rollback's loop runs here, renewed together (one
 * registry commit per org) every third of the lease time, given back when the loop ends. A renewal
 * that finds a lease taken by a newer epoch, or gone, marks its fence lost: the loop stops writing.
 */
import type { Logger } from '../shared/logger.ts';
import { Fence } from './fence.ts';
import { dropLease, renewLeases, takeLease, type TakeLeaseOutcome } from './leases.ts';
import type { Lease, Tracking } from './registry-doc.ts';
import type { RegistryStore } from './registry-store.ts';

export interface LeaseSettings {
  /** This replica's id: stable across restarts of the same replica (it takes its own leases back at once), unique among replicas. */
  readonly holder: string;
  /** How long a lease lasts without renewal (a dead replica's rollbacks wait this long at most). */
  readonly leaseMs: number;
}

export type Acquired = { readonly kind: 'taken'; readonly fence: Fence; readonly previous: Lease | null } | { readonly kind: 'held'; readonly lease: Lease } | { readonly kind: 'ended' };

export class LeaseKeeper {
  private readonly held = new Map<string, { store: RegistryStore; fence: Fence }>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;

  constructor(
    readonly settings: LeaseSettings,
    private readonly now: () => Date,
    private readonly log: Logger,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get holder(): string {
    return this.settings.holder;
  }

  /** Takes the lease of `id` (a new epoch), or says who holds it. `preempt` takes it from a live holder too. */
  async acquire(store: RegistryStore, p: { id: string; tracking: Tracking | null; preempt?: boolean }): Promise<Acquired> {
    const from = this.clock();
    const seen = { outcome: null as TakeLeaseOutcome | null, previous: null as Lease | null };
    await store.update((doc) => {
      seen.previous = Object.hasOwn(doc.rollbacks, p.id) ? (doc.rollbacks[p.id].lease ?? null) : null;
      seen.outcome = takeLease(doc, { ...p, holder: this.holder, now: this.now(), leaseMs: this.settings.leaseMs });
      return seen.outcome.kind === 'taken' ? seen.outcome.doc : null;
    }, `${p.id}: lease taken by ${this.holder}`);
    const taken = seen.outcome as TakeLeaseOutcome;
    if (taken.kind !== 'taken') return taken;
    const previous = seen.previous;
    const fence = new Fence(p.id, this.holder, taken.lease.epoch, from + this.settings.leaseMs, this.marginMs, this.clock);
    this.held.set(p.id, { store, fence });
    this.startTimer();
    return { kind: 'taken', fence, previous };
  }

  /** The loop of `id` ended here: forget its lease, and give it back unless the rollback ended (its entry is gone then). */
  async release(id: string, giveBack: boolean): Promise<void> {
    const entry = this.held.get(id);
    if (!entry) return;
    this.held.delete(id);
    if (!this.held.size) this.stopTimer();
    if (!giveBack || entry.fence.lost) return;
    await entry.store.update((doc) => dropLease(doc, { id, holder: this.holder, epoch: entry.fence.epoch, now: this.now() }), `${id}: lease given back by ${this.holder}`);
  }

  /** Like release, only if the lease held for `id` is still the one `fence` guards (a loop may have taken it over since). */
  async releaseIf(id: string, fence: Fence): Promise<void> {
    if (this.held.get(id)?.fence === fence) await this.release(id, true);
  }

  /** Renews every lease held here; one registry commit per org. */
  async renewAll(): Promise<void> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = null));
    await this.renewing;
  }

  stop(): void {
    this.stopTimer();
  }

  /** Writes stop this long before a lease runs out (a third of the renewal period's slack). */
  private get marginMs(): number {
    return Math.floor(this.settings.leaseMs / 4);
  }

  private async renewOnce(): Promise<void> {
    const byStore = new Map<RegistryStore, Map<string, Fence>>();
    for (const [id, { store, fence }] of this.held) {
      if (fence.lost) continue;
      const group = byStore.get(store) ?? new Map<string, Fence>();
      group.set(id, fence);
      byStore.set(store, group);
    }
    for (const [store, fences] of byStore) {
      const from = this.clock();
      let lost: string[] = [];
      try {
        await store.update((doc) => {
          const renewed = renewLeases(doc, { holder: this.holder, held: new Map([...fences].map(([id, f]) => [id, f.epoch])), now: this.now(), leaseMs: this.settings.leaseMs });
          lost = renewed.lost;
          return renewed.doc;
        }, `leases renewed by ${this.holder}: ${[...fences.keys()].sort().join(', ')}`);
      } catch (err) {
        // GitHub unreachable: the fences run out by themselves if this keeps failing.
        this.log.warn({ err: err instanceof Error ? err.message : String(err), registry: store.where }, 'could not renew leases; will retry');
        continue;
      }
      for (const [id, fence] of fences) {
        // Taken again here while this renewal was on its way (the loop takes over the start's claim with a
        // newer epoch): the newer fence is the one that counts, and the next renewal extends it.
        if (this.held.get(id)?.fence !== fence) continue;
        if (lost.includes(id)) {
          this.log.info({ rollback: id, holder: this.holder }, 'lease lost to another replica; this replica stops driving the rollback');
          fence.lose('another replica took the lease');
        } else fence.extend(from + this.settings.leaseMs);
      }
    }
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.settings.leaseMs / 3)));
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
