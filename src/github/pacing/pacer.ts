/**
 * Sends each request when the installation's budget allows it, and honours GitHub's answer when a limit
 * was hit anyway (another client of the same installation, a limit GitHub does not publish): the request
 * is sent again once `retry-after` has passed (or `x-ratelimit-reset`), with the whole installation paused
 * meanwhile; only an answer that names no time is waited out for a minute, doubling each time it comes again.
 * After a refusal the requests it covers go one at a time (single-file.ts) until the limit lets them through.
 * A refused request had no effect on GitHub, so sending it again neither loses nor repeats one.
 */
import type { Budget, BudgetReason } from './budget.ts';
import type { RequestCost } from './limits.ts';
import { scopeOfRefusal, SingleFile } from './single-file.ts';

export interface PacerLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface PacerStats {
  /** Requests that waited for the budget, and how long in all, by what they waited for. */
  readonly waits: Partial<Record<BudgetReason, { count: number; ms: number }>>;
  /** Rate-limit answers from GitHub (secondary or primary) that were waited out and sent again. */
  readonly limitAnswers: number;
}

/** After this many refusals of one request the request fails with GitHub's last answer. */
const MAX_RETRIES = 10;
/** GitHub's docs: without `retry-after`, wait at least one minute. */
const DEFAULT_WAIT_MS = 60_000;

export class Pacer {
  private readonly waits: Partial<Record<BudgetReason, { count: number; ms: number }>> = {};
  private limitAnswers = 0;
  private readonly line = new SingleFile();

  constructor(
    private readonly budget: Budget,
    private readonly log: PacerLog | null = null,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** `key`: the installation (or `app` for the App's own JWT calls). `what`: for the log only. */
  async run<T>(key: string, cost: RequestCost, what: string, send: () => Promise<T>): Promise<T> {
    const tries = { refusals: 0, backoffMs: 0 };
    for (;;) {
      const outcome = await this.line.run(key, cost, async () => {
        const r = await this.once(key, cost, what, send, tries);
        return { through: r.sent, value: r };
      });
      if (outcome.sent) return outcome.value as T;
    }
  }

  /**
   * One attempt: admitted by the budget, then sent. A limit answer pauses the installation for as long as
   * GitHub asks before the next request in line may go (so it is not refused the same way) and says so.
   */
  private async once<T>(key: string, cost: RequestCost, what: string, send: () => Promise<T>, tries: { refusals: number; backoffMs: number }): Promise<{ sent: true; value: T } | { sent: false; value?: undefined }> {
    const grant = await this.admit(key, cost);
    let asked: { waitMs: number; named: boolean } | null;
    try {
      return { sent: true, value: await send() };
    } catch (err) {
      asked = limitAnswer(err, Date.now());
      if (asked === null || tries.refusals >= MAX_RETRIES) throw err;
      tries.refusals += 1;
      this.line.refused(key, scopeOfRefusal(err));
    } finally {
      await grant.release();
    }
    this.limitAnswers += 1;
    // GitHub named the time: exactly that. It did not: a minute, doubling while it keeps refusing.
    const waitMs = asked.named ? asked.waitMs : (tries.backoffMs = Math.max(asked.waitMs, tries.backoffMs * 2));
    this.log?.warn({ request: what, installation: key, waitMs, attempt: tries.refusals }, 'GitHub answered a rate limit: waiting, then sending the request again');
    await this.budget.pause(key, waitMs);
    return { sent: false };
  }

  stats(): PacerStats {
    return { waits: structuredClone(this.waits), limitAnswers: this.limitAnswers };
  }

  async close(): Promise<void> {
    await this.budget.close();
  }

  private async admit(key: string, cost: RequestCost) {
    for (;;) {
      const r = await this.budget.take(key, cost);
      if (r.granted) return r.grant;
      const w = (this.waits[r.reason] ??= { count: 0, ms: 0 });
      w.count += 1;
      w.ms += r.waitMs;
      await this.sleep(r.waitMs);
    }
  }
}

/**
 * How long GitHub asks to wait, when `err` is a rate-limit answer (403 or 429): `retry-after` seconds; else,
 * when `x-ratelimit-remaining` is 0, until `x-ratelimit-reset` (+1 s); else, for a secondary limit, a minute.
 * Null for any other error.
 */
export function limitAnswerWait(err: unknown, nowMs: number): number | null {
  return limitAnswer(err, nowMs)?.waitMs ?? null;
}

/** As `limitAnswerWait`, and whether GitHub named the time (`named`) or the default minute applies. */
export function limitAnswer(err: unknown, nowMs: number): { waitMs: number; named: boolean } | null {
  const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown> } };
  if (e === null || typeof e !== 'object' || (e.status !== 403 && e.status !== 429)) return null;
  const headers = e.response?.headers ?? {};
  const secondary = /secondary rate limit/i.test(String(e.message ?? ''));
  const retryAfter = Number(headers['retry-after']);
  if ((secondary || e.status === 429) && headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return { waitMs: retryAfter * 1000, named: true };
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return { waitMs: Math.max(0, reset * 1000 - nowMs) + 1000, named: true };
  }
  return secondary ? { waitMs: DEFAULT_WAIT_MS, named: false } : null;
}
