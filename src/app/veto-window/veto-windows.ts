/**
 * The timers of open veto windows in this process. A timer is only a wake-up: the window itself is on
 * GitHub (pending-revert.ts), and the reconciler sets timers again for every open window it finds, so
 * a restart loses none. A window is decided under the culprit repository's command lock, so a
 * `/rollback cancel` and the window's end never race.
 */
import type { RepoRef } from '../../github/port.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Mutex } from '../../shared/mutex.ts';
import type { Clients, InstallationClient } from '../clients.ts';
import type { CommandEnv } from '../command-env.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { decideWindow } from './decide-window.ts';
import { listPending, type PendingRevert } from './pending-revert.ts';

export interface VetoWindowDeps {
  readonly clients: () => Clients | null;
  readonly envFor: (client: InstallationClient, log: Logger) => Promise<CommandEnv>;
  readonly lockFor: (installationId: number, repo: RepoRef) => Mutex;
  readonly track: (work: Promise<void>) => void;
  readonly log: Logger;
  readonly now: () => Date;
}

/** setTimeout's longest delay; a longer window is simply woken again. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class VetoWindows {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Culprit repository (`owner/repo`, lower case) of each window with a timer: success events elsewhere cost nothing. */
  private readonly repos = new Map<string, string>();
  private stopped = false;

  constructor(private readonly deps: VetoWindowDeps) {}

  /** Wakes at the window's end (again if it is already set: same deadline). */
  schedule(installationId: number, r: Pick<PendingRevert, 'id' | 'deadline' | 'culprit'>): void {
    if (this.stopped) return;
    this.forget(r.id);
    const delay = Math.min(MAX_DELAY_MS, Math.max(0, Date.parse(r.deadline) - this.deps.now().getTime()));
    const timer = setTimeout(() => {
      this.timers.delete(r.id);
      this.repos.delete(r.id);
      this.deps.track(this.decide(installationId, r));
    }, delay);
    timer.unref();
    this.timers.set(r.id, timer);
    this.repos.set(r.id, r.culprit.repo.toLowerCase());
  }

  /** Whether an open window of this process concerns the repository (`owner/repo`). */
  watching(repo: string): boolean {
    return [...this.repos.values()].includes(repo.toLowerCase());
  }

  forget(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
    this.repos.delete(id);
  }

  /** Every open window of every installation gets its timer (those already due are decided now). `pass`: the reconciler's clients for this pass. */
  async reconcile(pass?: Clients): Promise<void> {
    const clients = pass ?? this.deps.clients();
    if (!clients || this.stopped) return;
    for (const installation of await clients.installations()) {
      const client = await clients.forInstallation(installation.id);
      const env = await this.deps.envFor(client, this.deps.log);
      const open = await listPending(client.port, { owner: installation.account, repo: CONFIG_REPO }, env.trust, 'open').catch((err: unknown) => {
        this.deps.log.warn({ org: installation.account, err: err instanceof Error ? err.message : String(err) }, 'could not list pending automatic reverts; will retry');
        return [];
      });
      for (const { record } of open) if (!this.timers.has(record.id)) this.schedule(installation.id, record);
    }
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.forget(id);
  }

  private async decide(installationId: number, r: Pick<PendingRevert, 'id' | 'deadline' | 'culprit'>): Promise<void> {
    const clients = this.deps.clients();
    if (!clients || this.stopped) return;
    const [owner, repo] = r.culprit.repo.split('/');
    const log = this.deps.log.child({ rollback: r.id });
    const client = await clients.forInstallation(installationId);
    const env = await this.deps.envFor(client, log);
    const outcome = await this.deps.lockFor(installationId, { owner, repo }).run(() => decideWindow(env, r.id, owner)).catch((err: unknown) => {
      // A GitHub failure leaves the window open: try again shortly (the reconciler would, too).
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not decide a veto window; retrying');
      return 'retry' as const;
    });
    log.info({ outcome }, 'veto window decided');
    if (outcome === 'waiting') this.schedule(installationId, r);
    if (outcome === 'retry' && !this.stopped) this.schedule(installationId, { ...r, deadline: new Date(this.deps.now().getTime() + 5_000).toISOString() });
  }
}
