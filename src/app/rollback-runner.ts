/**
 * Keeps one run loop per active rollback in this process, wakes loops when GitHub reports progress
 * (checks, merges, reviews), and lets tests wait until everything is idle.
 */
import type { CheckSightings } from '../github/check-sightings.ts';
import type { ExecutionDeps } from '../execution/deps.ts';
import { runRollback } from '../execution/run-rollback.ts';
import type { RollbackState } from '../execution/state.ts';
import type { UnwindMetrics } from './metrics.ts';
import type { RepoRef } from '../github/port.ts';
import type { Logger } from '../shared/logger.ts';
import { Waker } from '../shared/waker.ts';
import type { Clients } from './clients.ts';
import { createRevertBranch } from '../git/revert-branch.ts';
import type { Trust } from '../trust/trust.ts';
import { finishRollback, lockChange, lockMessage, trackChange, type Holder } from '../registry/registry-locks.ts';
import { knowsRollback, type RegistryDoc, type Tracking } from '../registry/registry-doc.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import type { LeaseKeeper } from '../registry/lease-keeper.ts';
import { fencedPort, LeaseLostError, type Fence } from '../registry/fence.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { InstallationClient } from './clients.ts';

export interface RunnerOptions {
  readonly clients: Clients;
  readonly trust: Trust;
  readonly log: Logger;
  readonly now: () => Date;
  readonly workRoot: string;
  readonly concurrency: number;
  readonly pollMs: number;
  readonly ledgerIdleMs?: number;
  readonly gitIdentity: { name: string; email: string };
  readonly beforeEffect?: ExecutionDeps['beforeEffect'];
  readonly metrics?: UnwindMetrics;
  /** The leases of this replica: a loop runs only under its rollback's lease, and every write is fenced by it. */
  readonly leases: LeaseKeeper;
  /** The registry of the org whose config repo is `configRepo` (shared with the reconciler). */
  readonly registry: (client: InstallationClient, configRepo: string) => RegistryStore;
  /** Check results this replica's webhooks announced (see ExecutionDeps.checks). */
  readonly checks?: CheckSightings;
}

/** What the runner needs to know of a rollback to run it: where it is tracked and whose registry holds its lease. */
export type RollbackRef = Pick<RollbackState, 'id' | 'tracking' | 'configRepo'>;

/** This replica's claim on a rollback it is starting (see RollbackRunner.lockAndClaim). */
export interface StartClaim {
  /** The registry did not know the rollback before this claim's commit (no start of it took its locks before). */
  readonly fresh: boolean;
  /** The lease this claim holds, for the state the tracking issue opens with (its loop then need not write it). */
  readonly lease: { readonly holder: string; readonly epoch: number } | null;
  /** Records where the rollback is tracked, renewing the claim in the same registry commit. */
  track(where: Tracking): Promise<void>;
  /**
   * Starts the loop here with the claim's lease (no second take), unless a loop for it already runs here.
   * `opened`: the state the tracking issue was just opened with (RunParams.opened).
   */
  drive(installationId: number, rollback: RollbackRef, opened?: RollbackState): void;
  /** Gives the claim back, unless the loop took it over. */
  done(): Promise<void>;
}

interface Running {
  readonly waker: Waker;
  done: Promise<void>;
  halted: boolean;
  /** The repositories (lower case) of its steps still ahead, once its state is read: what happens elsewhere does not wake it. */
  repos: ReadonlySet<string> | null;
}

export class RollbackRunner {
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(private readonly opts: RunnerOptions) {}

  /**
   * Starts the loop of a rollback unless it already runs here (it runs only if this replica gets its lease,
   * or with `fence`, a lease this replica already holds: the start's claim). True when a loop was started.
   */
  ensure(installationId: number, rollback: RollbackRef, opts: { resumed?: boolean; fence?: Fence; opened?: RollbackState } = {}): boolean {
    const id = rollback.id;
    if (this.stopping) return false;
    const existing = this.running.get(id);
    if (existing) {
      existing.waker.wake();
      return false;
    }
    const waker = new Waker();
    const log = this.opts.log.child({ rollback: id });
    const entry: Running = { waker, done: Promise.resolve(), halted: false, repos: null };
    let retake = false;
    const onRepos = (repos: ReadonlySet<string>): void => void (entry.repos = repos);
    entry.done = this.loop(installationId, rollback, waker, log, () => this.stopping || entry.halted, { resumed: opts.resumed ?? false, claimed: opts.fence, opened: opts.opened, onRepos })
      .catch((err: unknown) => {
        if (err instanceof LeaseLostError) {
          log.info({ err: err.message }, 'stopped driving the rollback: its lease is gone');
          // Only our clock said so (a renewal came late, e.g. under load): take it again, unless another replica has it by now.
          if (err.ranOut && !this.stopping && !entry.halted) retake = true;
          return;
        }
        this.opts.metrics?.runFailures.inc();
        log.error({ err: errorText(err) }, 'rollback run failed; the reconciler will resume it');
      })
      .finally(() => {
        this.running.delete(id);
        if (retake) this.ensure(installationId, rollback, { resumed: true });
      });
    this.running.set(id, entry);
    return true;
  }

  /**
   * Takes every lock of the plan and claims the start of rollback `id` for this replica, in one registry
   * commit. The claim is there because the same command handled by two replicas at once (a redelivery
   * racing the original) must open one tracking issue: this throws when another replica holds it, so that
   * delivery fails and comes back later (by then the start is done, or the claim of a replica that died
   * ran out). 'held': another rollback holds a repository of the plan (nothing was written).
   */
  async lockAndClaim(client: InstallationClient, p: { id: string; configRepo: string; repos: readonly string[]; now: Date }): Promise<{ kind: 'held'; holders: Holder[] } | { kind: 'claimed'; claim: StartClaim }> {
    const store = this.opts.registry(client, p.configRepo);
    let holders: Holder[] = [];
    let fresh = false;
    const change = lockChange(p, (h) => (holders = h));
    // (The change may run once per compare-and-swap attempt: the last run saw the document that was written over.)
    const alongside = { change: (doc: RegistryDoc) => ((fresh = !knowsRollback(doc, p.id)), change(doc)), message: lockMessage(p) };
    const got = await this.opts.leases.acquire(store, { id: p.id, tracking: null, alongside });
    if (got.kind === 'refused') return { kind: 'held', holders };
    if (got.kind === 'held') throw new Error(`rollback ${p.id} is being started or driven by replica ${got.lease.holder} (until ${got.lease.until}); this delivery will be redelivered`);
    // (Not reached in practice: the locks were just taken, so the registry knows the rollback.)
    const fence = got.kind === 'taken' ? got.fence : null;
    let handedOver = false;
    return {
      kind: 'claimed',
      claim: {
        fresh,
        lease: fence ? { holder: fence.holder, epoch: fence.epoch } : null,
        track: async (where) => {
          const { change, message } = trackChange(p.id, where);
          if (fence) await this.opts.leases.renewWith(store, fence, change, message);
          else await store.update(change, message);
        },
        drive: (installationId, rollback, opened) => {
          // The opened state is the loop's start only under this claim's lease (which it names).
          const start = fence && opened?.lease?.epoch === fence.epoch ? opened : undefined;
          handedOver = this.ensure(installationId, rollback, { fence: fence ?? undefined, opened: start }) && fence !== null;
        },
        // A loop started meanwhile holds the lease under a fence of its own: releaseIf leaves that one alone.
        done: async () => {
          if (fence && !handedOver) await this.opts.leases.releaseIf(p.id, fence);
        },
      },
    };
  }

  /**
   * Makes sure no replica drives `rollback` any more, so a command (abort) can write its state: the
   * loop here is halted, or the lease is taken from the replica that holds it and its time waited
   * out (that replica's fence refuses every write by then). The lease is this replica's afterwards.
   */
  async takeOver(client: InstallationClient, rollback: RollbackRef): Promise<void> {
    await this.halt(rollback.id);
    const got = await this.opts.leases.acquire(this.opts.registry(client, rollback.configRepo), { id: rollback.id, tracking: rollback.tracking, preempt: true });
    if (got.kind !== 'taken') return;
    await this.opts.leases.release(rollback.id, false);
    const previous = got.previous;
    if (!previous || previous.holder === this.opts.leases.holder) return;
    const wait = Date.parse(previous.until) - this.opts.now().getTime();
    if (wait <= 0) return;
    this.opts.log.info({ rollback: rollback.id, holder: previous.holder, ms: wait }, 'waiting for the lease of the replica that drove the rollback to run out');
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, this.opts.leases.settings.leaseMs)));
  }

  /** Stops one rollback's loop at its next boundary and waits for it (abort uses this). */
  async halt(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    r.halted = true;
    r.waker.wake();
    await r.done;
  }

  /** The registry of the org whose config repo is `configRepo`, as this replica keeps it (shared with its leases). */
  registryOf(client: InstallationClient, configRepo: string): RegistryStore {
    return this.opts.registry(client, configRepo);
  }

  /** This replica's id in the registry's leases. */
  get replicaId(): string {
    return this.opts.leases.holder;
  }

  /** Loops running in this process. */
  get activeCount(): number {
    return this.running.size;
  }

  isRunning(id: string): boolean {
    return this.running.has(id);
  }

  /** Wakes every loop: something changed on GitHub (a check, a merge, a review). */
  nudgeAll(): void {
    for (const r of this.running.values()) r.waker.wake();
  }

  /**
   * Wakes the loops with a step still ahead in `repo` (`owner/name`): something changed there. A loop whose state
   * is not read yet is woken too. (A check in a repository no running rollback waits on, the org config repo's own
   * CI or a finished wave's branch CI say, costs no rollback a read of its checks.)
   */
  nudgeRepo(repo: string): void {
    const key = repo.toLowerCase();
    for (const r of this.running.values()) if (r.repos === null || r.repos.has(key)) r.waker.wake(key);
  }

  nudge(id: string): void {
    this.running.get(id)?.waker.wake();
  }

  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Stops every loop at its next boundary (used on shutdown and by crash tests). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.nudgeAll();
    await this.idle();
  }

  private async loop(installationId: number, rollback: RollbackRef, waker: Waker, log: Logger, shouldStop: () => boolean, how: { resumed: boolean; claimed?: Fence; opened?: RollbackState; onRepos?: (repos: ReadonlySet<string>) => void }): Promise<void> {
    const { resumed, claimed } = how;
    const client = await this.opts.clients.forInstallation(installationId);
    const store = this.opts.registry(client, rollback.configRepo);
    // Exactly one replica drives a rollback: the one holding its lease (the start's claim, when it is still good).
    const held = claimed !== undefined && this.opts.leases.holds(claimed);
    const got = held ? ({ kind: 'taken', fence: claimed } as const) : await this.opts.leases.acquire(store, { id: rollback.id, tracking: rollback.tracking });
    if (got.kind === 'held') return void log.info({ holder: got.lease.holder, until: got.lease.until }, 'another replica drives this rollback');
    if (got.kind === 'refused') return; // (only a take with `alongside` is refused)
    if (got.kind === 'ended') {
      // Nobody drives it; a state put back by hand is only brought in line with the signed ledger (which says how it ended).
      log.info('the registry lists this rollback as ended; not driving it');
      const settle: ExecutionDeps = { port: client.port, now: this.opts.now, log, concurrency: 1, pollMs: this.opts.pollMs, trust: this.opts.trust, revert: () => Promise.reject(new Error('an ended rollback makes no revert')) };
      await runRollback({ deps: settle, tracking: { ...parseRepo(rollback.tracking.repo), number: rollback.tracking.number }, waker, shouldStop: () => true });
      return;
    }
    const fence = got.fence;
    fence.onLost(() => waker.wake());
    const git = client.port;
    const deps: ExecutionDeps = {
      port: fencedPort(git, fence),
      now: this.opts.now,
      log,
      concurrency: this.opts.concurrency,
      pollMs: this.opts.pollMs,
      ledgerIdleMs: this.opts.ledgerIdleMs,
      beforeEffect: this.opts.beforeEffect,
      trust: this.opts.trust,
      fence,
      checks: this.opts.checks,
      revert: async (req) => {
        fence.check();
        return createRevertBranch({ ...req, token: await client.token(), workRoot: this.opts.workRoot, identity: this.opts.gitIdentity });
      },
    };
    const metrics = this.opts.metrics;
    let ended: RollbackState | null = null;
    const onEnd = (state: RollbackState): void => {
      ended = state;
      metrics?.rollbacksFinished.inc({ status: state.status });
      const total = Date.parse(state.timings.finishedAt ?? '') - Date.parse(state.timings.requestedAt);
      if (state.status === 'completed' && Number.isFinite(total)) metrics?.rollbackSeconds.observe(total / 1000);
    };
    const tracking = { ...parseRepo(rollback.tracking.repo), number: rollback.tracking.number };
    try {
      await runRollback({ deps, tracking, waker, shouldStop, resumed, onEnd, onRepos: how.onRepos, opened: held ? how.opened : undefined });
      const lost = fence.error();
      if (lost) throw lost;
      // A finished rollback lets go of its repositories (a stopped one keeps them until retried or aborted).
      const done = ended as RollbackState | null;
      if (done && (done.status === 'completed' || done.status === 'aborted')) await finishRollback(store, { id: done.id, status: done.status, now: this.opts.now(), tracking: done.tracking });
    } finally {
      // The lease goes back at once when the loop ends here (stopped, shutting down), so another replica need not wait it out.
      await this.opts.leases.release(rollback.id, true).catch((err: unknown) => log.warn({ err: errorText(err) }, 'could not give the lease back; it runs out by itself'));
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
