/**
 * The shared budget of one App installation: its requests in flight and sliding windows of what it spent,
 * kept in this process (`LocalBudget`) or in Redis for every replica at once (`RedisBudget`).
 *
 * Each window is a bucket whose tokens come back one by one, exactly one window (plus a margin) after the
 * request that spent them was answered, rather than all at once or at a steady rate: that lets a burst use
 * the whole limit, as GitHub allows, yet can never put more into any window than GitHub's own sliding count
 * admits. Counting from the answer, not from the admission, matters: GitHub saw the request at some moment
 * before its answer (after a token refresh, say), never after it; a request still in flight holds its
 * tokens, however long it takes.
 */
import type { PacingLimits, RequestCost } from './limits.ts';

/** A granted request; `release()` ends its concurrency slot. */
export interface Grant {
  release(): Promise<void>;
}

export type TakeResult = { readonly granted: true; readonly grant: Grant } | { readonly granted: false; readonly waitMs: number; readonly reason: BudgetReason };

export type BudgetReason = 'paused' | 'concurrency' | 'rest-points' | 'graphql-points' | 'content-minute' | 'content-hour';

export interface Budget {
  /** Spends `cost` for installation `key` now, or says how long to wait before trying again. */
  take(key: string, cost: RequestCost): Promise<TakeResult>;
  /** GitHub answered a limit: nothing for `key` until `untilMs` from now has passed (as `retry-after` asks). */
  pause(key: string, forMs: number): Promise<void>;
  close(): Promise<void>;
}

/** How long a concurrency slot, or tokens held by a request in flight, are waited for before asking again. */
export const CONCURRENCY_RETRY_MS = 10;

interface Spent {
  /** When it was answered (Infinity while in flight). */
  at: number;
  cost: RequestCost;
}

interface Account {
  inFlight: number;
  pausedUntil: number;
  /** Requests of the last minute (content ones also in `contentHour`); `at` is reset to the answer's time. */
  minute: Spent[];
  contentHour: Spent[];
}

/** The windows a cost is checked against, in order: name, limit, window length, spent entries, weight. */
function windows(l: PacingLimits, a: Account, cost: RequestCost): Array<[BudgetReason, number, number, Spent[], (c: RequestCost) => number]> {
  return [
    ['content-hour', l.contentPerHour, l.hourMs + l.marginMs, a.contentHour, (c) => (c.content ? 1 : 0)],
    ['content-minute', l.contentPerMinute, l.minuteMs + l.marginMs, a.minute, (c) => (c.content ? 1 : 0)],
    cost.graphql
      ? ['graphql-points', l.graphqlPointsPerMinute, l.minuteMs + l.marginMs, a.minute, (c) => (c.graphql ? c.points : 0)]
      : ['rest-points', l.restPointsPerMinute, l.minuteMs + l.marginMs, a.minute, (c) => (c.graphql ? 0 : c.points)],
  ];
}

/** The budget of one process. */
export class LocalBudget implements Budget {
  private readonly accounts = new Map<string, Account>();

  constructor(
    private readonly limits: PacingLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async take(key: string, cost: RequestCost): Promise<TakeResult> {
    const l = this.limits;
    const now = this.now();
    const a = this.account(key);
    // Answers reset `at`, so the lists are kept in time order here.
    a.minute = a.minute.filter((s) => s.at > now - l.minuteMs - l.marginMs).sort((x, y) => x.at - y.at);
    a.contentHour = a.contentHour.filter((s) => s.at > now - l.hourMs - l.marginMs).sort((x, y) => x.at - y.at);
    if (a.pausedUntil > now) return { granted: false, waitMs: a.pausedUntil - now, reason: 'paused' };
    if (a.inFlight + 1 > l.concurrency) return { granted: false, waitMs: CONCURRENCY_RETRY_MS, reason: 'concurrency' };
    for (const [reason, limit, windowMs, spent, weigh] of windows(l, a, cost)) {
      const own = weigh(cost);
      if (own === 0) continue;
      let used = spent.reduce((sum, s) => sum + weigh(s.cost), 0);
      if (used + own <= limit) continue;
      for (const s of spent) {
        used -= weigh(s.cost);
        if (used + own <= limit) return { granted: false, waitMs: s.at === Infinity ? CONCURRENCY_RETRY_MS : Math.max(1, s.at + windowMs - now), reason };
      }
      return { granted: false, waitMs: windowMs, reason };
    }
    a.inFlight += 1;
    const spent: Spent = { at: Infinity, cost };
    a.minute.push(spent);
    if (cost.content) a.contentHour.push(spent);
    let released = false;
    const clock = this.now;
    return {
      granted: true,
      grant: {
        async release() {
          if (released) return;
          released = true;
          a.inFlight -= 1;
          spent.at = clock();
        },
      },
    };
  }

  async pause(key: string, forMs: number): Promise<void> {
    const a = this.account(key);
    a.pausedUntil = Math.max(a.pausedUntil, this.now() + forMs);
  }

  async close(): Promise<void> {}

  private account(key: string): Account {
    let a = this.accounts.get(key);
    if (!a) {
      a = { inFlight: 0, pausedUntil: 0, minute: [], contentHour: [] };
      this.accounts.set(key, a);
    }
    return a;
  }
}
