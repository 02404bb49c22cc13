/**
 * Keeps one run loop per active rollback in this process, wakes loops when GitHub reports progress
 * (checks, merges, reviews), and lets tests wait until everything is idle.
 */
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
import { finishRollback, registryOf } from '../registry/registry-locks.ts';

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
}

interface Running {
  readonly waker: Waker;
  done: Promise<void>;
  halted: boolean;
}

export class RollbackRunner {
  private readonly running = new Map<string, Running>();
  private stopping = false;

  constructor(private readonly opts: RunnerOptions) {}

  /** Starts the loop of a rollback unless it already runs here. */
  ensure(installationId: number, tracking: RepoRef & { number: number }, id: string, opts: { resumed?: boolean } = {}): void {
    if (this.stopping) return;
    const existing = this.running.get(id);
    if (existing) {
      existing.waker.wake();
      return;
    }
    const waker = new Waker();
    const log = this.opts.log.child({ rollback: id });
    const entry: Running = { waker, done: Promise.resolve(), halted: false };
    entry.done = this.loop(installationId, tracking, waker, log, () => this.stopping || entry.halted, opts.resumed ?? false)
      .catch((err: unknown) => {
        this.opts.metrics?.runFailures.inc();
        log.error({ err: errorText(err) }, 'rollback run failed; the reconciler will resume it');
      })
      .finally(() => this.running.delete(id));
    this.running.set(id, entry);
  }

  /** Stops one rollback's loop at its next boundary and waits for it (abort uses this). */
  async halt(id: string): Promise<void> {
    const r = this.running.get(id);
    if (!r) return;
    r.halted = true;
    r.waker.wake();
    await r.done;
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

  private async loop(installationId: number, tracking: RepoRef & { number: number }, waker: Waker, log: Logger, shouldStop: () => boolean, resumed: boolean): Promise<void> {
    const client = await this.opts.clients.forInstallation(installationId);
    const deps: ExecutionDeps = {
      port: client.port,
      now: this.opts.now,
      log,
      concurrency: this.opts.concurrency,
      pollMs: this.opts.pollMs,
      ledgerIdleMs: this.opts.ledgerIdleMs,
      beforeEffect: this.opts.beforeEffect,
      trust: this.opts.trust,
      revert: async (req) => createRevertBranch({ ...req, token: await client.token(), workRoot: this.opts.workRoot, identity: this.opts.gitIdentity }),
    };
    const metrics = this.opts.metrics;
    let ended: RollbackState | null = null;
    const onEnd = (state: RollbackState): void => {
      ended = state;
      metrics?.rollbacksFinished.inc({ status: state.status });
      const total = Date.parse(state.timings.finishedAt ?? '') - Date.parse(state.timings.requestedAt);
      if (state.status === 'completed' && Number.isFinite(total)) metrics?.rollbackSeconds.observe(total / 1000);
    };
    await runRollback({ deps, tracking, waker, shouldStop, resumed, onEnd });
    // A finished rollback lets go of its repositories (a stopped one keeps them until retried or aborted).
    const done = ended as RollbackState | null;
    if (done && (done.status === 'completed' || done.status === 'aborted')) {
      await finishRollback(registryOf(client.port, this.opts.trust, done.configRepo), { id: done.id, status: done.status, now: this.opts.now() });
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
