/**
 * The leases this replica holds: taken before a rollback's loop runs here, renewed together (one
 * registry commit per org) every third of the lease time, given back when the loop ends. A renewal
 * that finds a lease taken by a newer epoch, or gone, marks its fence lost: the loop stops writing.
 *
 * Renewals must land before the fences run out even when registry writes are slow (a loaded GitHub,
 * or writers racing on the registry's compare-and-swap). So a fence is extended from the moment the
 * renewed document was computed (its lease's `until` is that moment plus the lease time), not from
 * before the first attempt; the next renewal comes after a third of the lease time, or sooner, at
 * half of what the nearest fence has left; and a failed renewal is tried again at once, not a period
 * later. A renewal that took more than half of the slack it had is logged: the lease is too short for
 * how long this registry takes to write.
 */
import type { Logger } from '../shared/logger.ts';
import { Fence } from './fence.ts';
import { dropLease, renewLeases, takeLease, type TakeLeaseOutcome } from './leases.ts';
import type { Lease, RegistryDoc, Tracking } from './registry-doc.ts';
import type { RegistryStore } from './registry-store.ts';

export interface LeaseSettings {
  /** This replica's id: stable across restarts of the same replica (it takes its own leases back at once), unique among replicas. */
  readonly holder: string;
  /** How long a lease lasts without renewal (a dead replica's rollbacks wait this long at most). */
  readonly leaseMs: number;
}

export type Acquired =
  | { readonly kind: 'taken'; readonly fence: Fence; readonly previous: Lease | null }
  | { readonly kind: 'held'; readonly lease: Lease }
  | { readonly kind: 'ended' }
  /** `alongside` refused its own change (e.g. another rollback holds a repository): nothing was written. */
  | { readonly kind: 'refused' };

export class LeaseKeeper {
  private readonly held = new Map<string, { store: RegistryStore; fence: Fence }>();
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<boolean> | null = null;
  private stopped = false;

  constructor(
    readonly settings: LeaseSettings,
    private readonly now: () => Date,
    private readonly log: Logger,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get holder(): string {
    return this.settings.holder;
  }

  /**
   * Takes the lease of `id` (a new epoch), or says who holds it. `preempt` takes it from a live holder too.
   * `alongside` changes the document in the same commit first (the start takes its plan's locks with its
   * claim: one registry write, not two); when it returns null nothing is written and the outcome is 'refused'.
   */
  async acquire(store: RegistryStore, p: { id: string; tracking: Tracking | null; preempt?: boolean; alongside?: { change: (doc: RegistryDoc) => RegistryDoc | null; message: string } }): Promise<Acquired> {
    const seen = { outcome: null as TakeLeaseOutcome | 'refused' | null, previous: null as Lease | null, at: this.clock() };
    await store.update(
      (current) => {
        const doc = p.alongside ? p.alongside.change(current) : current;
        if (doc === null) {
          seen.outcome = 'refused';
          return null;
        }
        // The lease written runs from now(): the fence runs from the same moment by this process's clock.
        seen.at = this.clock();
        seen.previous = Object.hasOwn(doc.rollbacks, p.id) ? (doc.rollbacks[p.id].lease ?? null) : null;
        seen.outcome = takeLease(doc, { id: p.id, tracking: p.tracking, preempt: p.preempt, holder: this.holder, now: this.now(), leaseMs: this.settings.leaseMs });
        return seen.outcome.kind === 'taken' ? seen.outcome.doc : null;
      },
      `${p.alongside ? `${p.alongside.message}; ` : `${p.id}: `}lease taken by ${this.holder}`,
    );
    const taken = seen.outcome as TakeLeaseOutcome | 'refused';
    if (taken === 'refused') return { kind: 'refused' };
    if (taken.kind !== 'taken') return taken;
    const previous = seen.previous;
    const fence = new Fence(p.id, this.holder, taken.lease.epoch, seen.at + this.settings.leaseMs, this.marginMs, this.clock);
    this.held.set(p.id, { store, fence });
    this.stopped = false;
    if (!this.timer) this.schedule(this.periodMs);
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

  /**
   * Writes `change` and a renewal of the lease `fence` guards in one commit (the start records its tracking
   * issue and hands its claim to the loop). False when the fence lost the lease (`change` is written anyway).
   */
  async renewWith(store: RegistryStore, fence: Fence, change: (doc: RegistryDoc) => RegistryDoc | null, message: string): Promise<boolean> {
    if (!this.holds(fence)) {
      await store.update(change, message);
      return false;
    }
    let from = this.clock();
    let lost = false;
    await store.update((current) => {
      const doc = change(current) ?? current;
      from = this.clock();
      const renewed = renewLeases(doc, { holder: this.holder, held: new Map([[fence.rollback, fence.epoch]]), now: this.now(), leaseMs: this.settings.leaseMs });
      lost = renewed.lost.length > 0;
      return renewed.doc ?? (doc === current ? null : doc);
    }, `${message}; lease renewed by ${this.holder}`);
    if (lost) fence.lose('another replica took the lease');
    else fence.extend(from + this.settings.leaseMs);
    return !lost;
  }

  /** True while `fence` guards the lease this replica holds for its rollback. */
  holds(fence: Fence): boolean {
    return this.held.get(fence.rollback)?.fence === fence && !fence.lost;
  }

  /** Like release, only if the lease held for `id` is still the one `fence` guards (a loop may have taken it over since). */
  async releaseIf(id: string, fence: Fence): Promise<void> {
    if (this.held.get(id)?.fence === fence) await this.release(id, true);
  }

  /** Renews every lease held here; one registry commit per org. True when every renewal was written. */
  async renewAll(): Promise<boolean> {
    this.renewing ??= this.renewOnce().finally(() => (this.renewing = null));
    return this.renewing;
  }

  stop(): void {
    this.stopped = true;
    this.stopTimer();
  }

  /** A third of the lease time: three chances to renew before a lease runs out. */
  private get periodMs(): number {
    return Math.max(50, Math.floor(this.settings.leaseMs / 3));
  }

  /** Writes stop this long before a lease runs out (a third of the renewal period's slack). */
  private get marginMs(): number {
    return Math.floor(this.settings.leaseMs / 4);
  }

  private async renewOnce(): Promise<boolean> {
    let allWritten = true;
    const byStore = new Map<RegistryStore, Map<string, Fence>>();
    for (const [id, { store, fence }] of this.held) {
      if (fence.lost) continue;
      const group = byStore.get(store) ?? new Map<string, Fence>();
      group.set(id, fence);
      byStore.set(store, group);
    }
    for (const [store, fences] of byStore) {
      const started = this.clock();
      const slack = Math.min(...[...fences.values()].map((f) => f.remainingMs()));
      let from = started;
      let lost: string[] = [];
      try {
        await store.update((doc) => {
          from = this.clock();
          const renewed = renewLeases(doc, { holder: this.holder, held: new Map([...fences].map(([id, f]) => [id, f.epoch])), now: this.now(), leaseMs: this.settings.leaseMs });
          lost = renewed.lost;
          return renewed.doc;
        }, `leases renewed by ${this.holder}: ${[...fences.keys()].sort().join(', ')}`);
      } catch (err) {
        // GitHub unreachable: the fences run out by themselves if this keeps failing.
        this.log.warn({ err: err instanceof Error ? err.message : String(err), registry: store.where }, 'could not renew leases; will retry');
        allWritten = false;
        continue;
      }
      const tookMs = Math.round(this.clock() - started);
      if (tookMs > slack / 2) this.log.warn({ registry: store.where, tookMs, slackMs: Math.round(slack), leaseMs: this.settings.leaseMs }, 'renewing leases took more than half of the time they had left: registry writes are slow for this lease time (UNWIND_LEASE_MS)');
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
    return allWritten;
  }

  /** The next renewal: after a period, or sooner when the nearest fence has less than two periods left. */
  private schedule(delayMs: number): void {
    this.stopTimer();
    if (this.stopped || !this.held.size) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(0, delayMs));
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.timer = null;
    const written = await this.renewAll();
    const left = Math.min(...[...this.held.values()].filter((h) => !h.fence.lost).map((h) => h.fence.remainingMs()));
    // A failed renewal is tried again soon (a short pause, not a period); a fence with little left is renewed sooner.
    const next = written ? Math.min(this.periodMs, left / 2) : Math.min(this.periodMs, 250, left / 4);
    this.schedule(Number.isFinite(next) ? next : this.periodMs);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
