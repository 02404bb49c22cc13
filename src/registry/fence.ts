/**
 * Fencing: a replica writes for a rollback only while it holds that rollback's lease. The fence
 * knows the lease's epoch and how long the lease is good for by this process's monotonic clock
 * (measured from before the registry write that took or renewed it, so the local view runs out no
 * later than the registry's). Every write to GitHub of a run loop goes through `fencedPort`, which
 * checks the fence first; a fence that ran out (the process froze past its lease), or that a renewal
 * found taken by a newer epoch, refuses, and the loop ends without writing again. A write is refused
 * already `marginMs` before the lease runs out, so a request in flight when it does would have to
 * take longer than that margin to land after another replica took over.
 */
import type { GitHubPort } from '../github/port.ts';

export class LeaseLostError extends Error {
  /** True when only this replica's clock says the lease ran out (nobody may have taken it: worth taking again). */
  readonly ranOut: boolean;
  constructor(readonly rollback: string, why: string) {
    super(`rollback ${rollback}: this replica no longer holds its lease (${why}); it writes nothing more for it`);
    this.name = 'LeaseLostError';
    this.ranOut = why === RAN_OUT;
  }
}

const RAN_OUT = 'the lease ran out before it was renewed';

export class Fence {
  private goodUntil: number;
  private lostWhy: string | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly rollback: string,
    readonly holder: string,
    readonly epoch: number,
    /** Monotonic time (ms, `clock()`) the lease runs out at. */
    until: number,
    private readonly marginMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.goodUntil = until;
  }

  /** Throws LeaseLostError unless this replica may still write for the rollback. */
  check(): void {
    if (!this.lostWhy && this.clock() > this.goodUntil - this.marginMs) this.lose(RAN_OUT);
    if (this.lostWhy) throw new LeaseLostError(this.rollback, this.lostWhy);
  }

  get lost(): boolean {
    return this.lostWhy !== null || this.clock() > this.goodUntil - this.marginMs;
  }

  /** Why the lease is lost (null while it holds): what a LeaseLostError for it would say. */
  error(): LeaseLostError | null {
    if (!this.lostWhy && this.clock() > this.goodUntil - this.marginMs) this.lose(RAN_OUT);
    return this.lostWhy ? new LeaseLostError(this.rollback, this.lostWhy) : null;
  }

  /** How long this replica may still write, by its own clock (0 once lost or run out). */
  remainingMs(): number {
    return this.lostWhy ? 0 : Math.max(0, this.goodUntil - this.marginMs - this.clock());
  }

  /** A renewal succeeded: the lease now runs out at monotonic time `until` (measured from before the renewal). */
  extend(until: number): void {
    if (!this.lostWhy) this.goodUntil = Math.max(this.goodUntil, until);
  }

  lose(why: string): void {
    if (this.lostWhy) return;
    this.lostWhy = why;
    for (const listener of this.listeners) listener();
  }

  onLost(listener: () => void): void {
    this.listeners.add(listener);
  }
}

/** Reads pass; every other call checks the fence first (new port methods are fenced by default). */
const READ = /^(get|list|read|is)[A-Z]/;

export function fencedPort(port: GitHubPort, fence: Fence): GitHubPort {
  return new Proxy(port, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string' || READ.test(name)) return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        fence.check();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
