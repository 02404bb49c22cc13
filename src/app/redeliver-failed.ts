/**
 * Durable intake, the second half: Unwind answers a webhook only after the command's first durable
 * write (see create-app), so a crash before it leaves a *failed* delivery on GitHub. GitHub does not
 * redeliver by itself; at start and with every reconciliation, Unwind asks GitHub for its App's
 * recent deliveries and redelivers each one that never succeeded, a few times at most (a delivery
 * that fails every time is a bug to look at, not a loop to keep running).
 */
import type { Logger } from '../shared/logger.ts';

export interface DeliveryAttempt {
  readonly id: number;
  readonly guid: string;
  readonly deliveredAt: string;
  readonly statusCode: number;
  readonly event: string;
  readonly action: string | null;
}

/** GitHub's API for the App's webhook deliveries (App JWT). */
export interface AppDeliveries {
  /** Attempts delivered at or after `since`, newest first (paginated to that point). */
  list(since: Date): Promise<DeliveryAttempt[]>;
  redeliver(attemptId: number): Promise<void>;
}

/** How far back failed deliveries are looked for, and how many attempts one delivery gets in all. */
export const REDELIVERY_WINDOW_MS = 6 * 3600_000;
export const MAX_ATTEMPTS = 4;

/** Redeliveries this process asked for lately: not asked again before GitHub has logged their attempt (several replicas each ask once at most). */
export class RecentRedeliveries {
  private readonly asked = new Map<string, number>();
  constructor(private readonly holdMs = REDELIVERY_HOLD_MS) {}

  allows(guid: string, now: Date): boolean {
    const at = this.asked.get(guid);
    return at === undefined || now.getTime() - at >= this.holdMs;
  }

  note(guid: string, now: Date): void {
    this.asked.set(guid, now.getTime());
    for (const [g, at] of this.asked) if (now.getTime() - at >= this.holdMs) this.asked.delete(g);
  }
}

/** Longer than GitHub's 10 s delivery timeout: by then the redelivered attempt is in the list. */
export const REDELIVERY_HOLD_MS = 60_000;

export async function redeliverFailed(p: { deliveries: AppDeliveries; now: Date; log: Logger; recent?: RecentRedeliveries }): Promise<number> {
  const attempts = await p.deliveries.list(new Date(p.now.getTime() - REDELIVERY_WINDOW_MS));
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const a of attempts) byGuid.set(a.guid, [...(byGuid.get(a.guid) ?? []), a]);
  let redelivered = 0;
  for (const [guid, tries] of byGuid) {
    if (tries.some((t) => t.statusCode >= 200 && t.statusCode < 300)) continue;
    const latest = tries.reduce((a, b) => (Date.parse(b.deliveredAt) > Date.parse(a.deliveredAt) || (b.deliveredAt === a.deliveredAt && b.id > a.id) ? b : a));
    if (tries.length >= MAX_ATTEMPTS) {
      p.log.warn({ delivery: guid, event: latest.event, attempts: tries.length }, 'a webhook delivery failed every time; not redelivered again');
      continue;
    }
    if (p.recent && !p.recent.allows(guid, p.now)) continue;
    p.log.info({ delivery: guid, event: latest.event, action: latest.action, status: latest.statusCode, attempts: tries.length }, 'redelivering a failed webhook delivery');
    p.recent?.note(guid, p.now);
    await p.deliveries.redeliver(latest.id);
    redelivered++;
  }
  return redelivered;
}
