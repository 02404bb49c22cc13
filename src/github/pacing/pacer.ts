/**
 * Sends each request when the installation's budget allows it, and honours GitHub's answer when a limit
 * was hit anyway (another client of the same installation, a limit GitHub does not publish): the request
 * is sent again after `retry-after` (or until `x-ratelimit-reset`, or a minute, as GitHub's docs ask), with
 * the whole installation paused meanwhile, waiting twice as long each time it is refused again.
 * A refused request had no effect on GitHub, so sending it again neither loses nor repeats one.
 */
import type { Budget, BudgetReason } from './budget.ts';
import type { RequestCost } from './limits.ts';

export interface PacerLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface PacerStats {
  /** Requests that waited for the budget, and how long in all, by what they waited for. */
  readonly waits: Partial<Record<BudgetReason, { count: number; ms: number }>>;
  /** Rate-limit answers from GitHub (secondary or primary) that were waited out and sent again. */
  readonly limitAnswers: number;
}

/** After this many refusals in a row the request fails with GitHub's last answer. */
const MAX_RETRIES = 6;
/** GitHub's docs: without `retry-after`, wait at least one minute. */
const DEFAULT_WAIT_MS = 60_000;

export class Pacer {
  private readonly waits: Partial<Record<BudgetReason, { count: number; ms: number }>> = {};
  private limitAnswers = 0;

  constructor(
    private readonly budget: Budget,
    private readonly log: PacerLog | null = null,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** `key`: the installation (or `app` for the App's own JWT calls). `what`: for the log only. */
  async run<T>(key: string, cost: RequestCost, what: string, send: () => Promise<T>): Promise<T> {
    let backoffMs = 0;
    for (let attempt = 0; ; attempt++) {
      const grant = await this.admit(key, cost);
      let waitMs: number | null;
      try {
        return await send();
      } catch (err) {
        waitMs = limitAnswerWait(err, Date.now());
        if (waitMs === null || attempt >= MAX_RETRIES) throw err;
      } finally {
        await grant.release();
      }
      this.limitAnswers += 1;
      backoffMs = Math.max(waitMs, backoffMs * 2);
      this.log?.warn({ request: what, installation: key, waitMs: backoffMs, attempt: attempt + 1 }, 'GitHub answered a rate limit: waiting, then sending the request again');
      await this.budget.pause(key, backoffMs);
    }
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
  const e = err as { status?: unknown; message?: unknown; response?: { headers?: Record<string, unknown> } };
  if (e === null || typeof e !== 'object' || (e.status !== 403 && e.status !== 429)) return null;
  const headers = e.response?.headers ?? {};
  const secondary = /secondary rate limit/i.test(String(e.message ?? ''));
  const retryAfter = Number(headers['retry-after']);
  if ((secondary || e.status === 429) && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - nowMs) + 1000;
  }
  return secondary ? DEFAULT_WAIT_MS : null;
}
