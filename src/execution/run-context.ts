import type { RepoInfo } from '../github/port.ts';
import { Mutex } from '../shared/mutex.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { ExecutionDeps } from './deps.ts';
import type { ChecksRead } from './green-by-webhook.ts';
import type { LedgerRecord, LedgerWriter } from './ledger-writer.ts';
import type { StateSaver } from './save-state.ts';
import type { RollbackState, StepState, StepStatus } from './state.ts';

/** Everything one run of one rollback shares; state changes are serialised through `record`. */
export class RunContext {
  private readonly mutex = new Mutex();
  private readonly repos = new Map<string, RepoInfo>();
  private readonly ahead = new Map<string, Promise<unknown>>();
  /** Per step key, what its last read of its PR and checks found (see green-by-webhook.ts). */
  readonly checksRead = new Map<string, ChecksRead>();
  /**
   * The repositories (lower case) GitHub reported a change in since the previous pass over the wave, or `all`
   * (the first pass, the fallback poll, a nudge that names none, a pass after a failure).
   */
  changed: ReadonlySet<string> | 'all' = 'all';

  constructor(
    readonly deps: ExecutionDeps,
    readonly state: RollbackState,
    readonly ledger: LedgerWriter,
    readonly saver: StateSaver,
    /** Login that ledger entries name for Unwind's own actions. */
    readonly botLogin: string,
  ) {}

  /** True when nothing was reported about `repo` since the previous pass (so what was read there still holds). */
  untouched(repo: string): boolean {
    return this.changed !== 'all' && !this.changed.has(repo.toLowerCase());
  }

  async repo(fullName: string): Promise<RepoInfo> {
    const cached = this.repos.get(fullName);
    if (cached) return cached;
    const info = await this.deps.port.getRepo(parseRepo(fullName));
    if (!info) throw new Error(`repository ${fullName} is not visible to Unwind`);
    this.repos.set(fullName, info);
    return info;
  }

  /**
   * Reads started ahead of the step that needs them (a wave's first reads, while the run waits for the previous
   * wave's checks; what a step's files were before its change, while its PR waits); `take` hands them over once,
   * and a later attempt reads again. Only for reads whose answer cannot change meanwhile: what only this run
   * changes (it holds the rollback's lease), or what never changes (a file at a commit).
   */
  prefetch(key: string, read: () => Promise<unknown>): void {
    if (this.ahead.has(key)) return;
    const answer = read();
    answer.catch(() => undefined);
    this.ahead.set(key, answer);
  }

  take<T>(key: string): Promise<T> | null {
    const answer = this.ahead.get(key) as Promise<T> | undefined;
    this.ahead.delete(key);
    return answer ?? null;
  }

  /**
   * Moves a step to a new state: crash hook, ledger entry, then the saved tracking issue. A `null`
   * record is a quiet transition (kept in memory, written with the next recorded one): GitHub paces
   * writes, so only what an auditor needs becomes a comment. A crash before the next write replays
   * the quiet transitions, and every effect behind them is looked up in GitHub first.
   */
  async transition(step: StepState, to: StepStatus, record: (Omit<LedgerRecord, 'actor' | 'action'> & { action?: LedgerRecord['action'] }) | null, patch: Partial<StepState> = {}): Promise<void> {
    await this.mutex.run(async () => {
      this.deps.beforeEffect?.(`step:${to}`);
      Object.assign(step, patch, { state: to });
      if (record === null) return;
      await this.ledger.append(this.state, {
        action: record.action ?? 'step',
        actor: this.botLogin,
        ...record,
        details: { step: step.key, repo: step.repo, state: to, ...(record.details ?? {}) },
      });
      await this.saver.save(this.state);
    });
  }

  /**
   * Records a rollback-level entry and saves; with `saveLater`, the save is requested but not awaited (the next
   * save waits for it and reports its failure).
   */
  async record(record: LedgerRecord, mutate?: (state: RollbackState) => void, opts: { saveLater?: boolean } = {}): Promise<void> {
    await this.mutex.run(async () => {
      this.deps.beforeEffect?.(`record:${record.action}`);
      mutate?.(this.state);
      await this.ledger.append(this.state, record);
      if (opts.saveLater) this.saver.request(this.state);
      else await this.saver.save(this.state);
    });
  }

  /**
   * A quiet transition that the tracking issue shows at once (PR links): the body write is requested
   * but not awaited, so steps changing together share one write. No ledger comment.
   */
  async progress(step: StepState, to: StepStatus, patch: Partial<StepState> = {}): Promise<void> {
    await this.mutex.run(async () => {
      this.deps.beforeEffect?.(`step:${to}`);
      Object.assign(step, patch, { state: to });
      this.saver.request(this.state);
    });
  }

  /** A quiet change at a boundary: crash hook and memory only, written with the next record. */
  async note(point: string, mutate: (state: RollbackState) => void): Promise<void> {
    await this.mutex.run(async () => {
      this.deps.beforeEffect?.(point);
      mutate(this.state);
    });
  }

  /** Saves without a ledger entry (timings, details). */
  async save(mutate: (state: RollbackState) => void): Promise<void> {
    await this.mutex.run(async () => {
      mutate(this.state);
      await this.saver.save(this.state);
    });
  }
}
