/**
 * Ordered webhook delivery queue with a delivery log, redelivery and injectable faults.
 *
 * Each delivery (one guid) keeps a log of its attempts on the wire: the first one, a duplicate sent by the
 * `duplicate` fault (not a redelivery), and every redelivery. The sandbox never retries by itself (neither
 * does GitHub). Dropped deliveries (no webhook URL, `dropEvery` fault, shutting down) are not attempts.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxContext } from '../context.ts';
import { isoSeconds } from '../state/initial-state.ts';
import type { DeliveryAttemptState, StoredDelivery } from '../state/model.ts';
import type { DeliveryRecord } from '../types.ts';
import { DELIVERY_TIMEOUT_MS, postDelivery } from './post-delivery.ts';

export const HOOK_ID = 4242001;
/** Attempt ids start above this (GitHub's are 11-digit numbers too). */
const FIRST_ATTEMPT_ID = 10_000_000_000;
const MAX_LOG = 2000;
const REORDER_WINDOW_MS = 40;

export interface WebhookQueue {
  enqueue(d: { event: string; action: string | null; installationId: number | null; payload: unknown }): string;
  /** Redelivers the delivery with this guid (same body and guid, fresh signature); resolves once the attempt ended. */
  redeliver(id: string): Promise<void>;
  records(): DeliveryRecord[];
  /** The exact body sent for a delivery (guid). */
  body(id: string): string;
  /** Restart fault counting (dropEvery) after faults change. */
  resetFaults(): void;
}

function repositoryIdOf(payload: unknown): number | null {
  const id = (payload as { repository?: { id?: unknown } } | null)?.repository?.id;
  return typeof id === 'number' ? id : null;
}

function bodyPath(c: SandboxContext, id: string): string {
  return join(c.dir, 'deliveries', `${id}.json`);
}

export function createWebhookQueue(ctx: () => SandboxContext): WebhookQueue {
  const bodies = new Map<string, string>();
  const bodyOf = (c: SandboxContext, id: string): string => {
    const cached = bodies.get(id);
    if (cached !== undefined) return cached;
    return readFileSync(bodyPath(c, id), 'utf8');
  };
  let tail: Promise<void> = Promise.resolve();
  let held: StoredDelivery | null = null;
  let counter = 0;
  let lastAttemptId: number | null = null;
  const nextAttemptId = (c: SandboxContext): number => {
    lastAttemptId ??= Math.max(FIRST_ATTEMPT_ID, ...c.state.deliveries.flatMap((d) => (d.attemptLog ?? []).map((a) => a.id)));
    lastAttemptId += 1;
    return lastAttemptId;
  };

  const send = async (d: StoredDelivery, p: { duplicateOk: boolean; redelivery: boolean }): Promise<{ finished: Promise<void> }> => {
    const c = ctx();
    const faults = c.faults.webhooks;
    if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
    const url = c.state.webhookUrl;
    if (!url || c.closing) {
      d.status = 'dropped';
      c.save();
      return { finished: Promise.resolve() };
    }
    d.attempts += 1;
    const id = nextAttemptId(c);
    const deliveredAt = isoSeconds(c.now());
    const started = performance.now();
    const { sent, done } = postDelivery({
      url,
      id: d.id,
      event: d.event,
      body: bodyOf(c, d.id),
      secret: c.app.webhookSecret,
      hookId: HOOK_ID,
      appId: c.app.id,
      timeoutMs: faults.timeoutMs ?? DELIVERY_TIMEOUT_MS,
    });
    const finished = (async () => {
      const outcome = await done;
      const durationMs = Math.round(performance.now() - started);
      const attempt: DeliveryAttemptState = { id, redelivery: p.redelivery, url, deliveredAt, durationMs, ...outcome };
      (d.attemptLog ??= []).push(attempt);
      d.status = outcome.statusCode === 0 ? 'error' : outcome.statusCode;
      d.deliveredAt = isoSeconds(c.now());
      d.durationMs = durationMs;
      c.save();
      if (p.duplicateOk && c.faults.webhooks.duplicate) await (await send(d, { duplicateOk: false, redelivery: false })).finished;
    })();
    c.jobs.run(`deliver ${d.event}`, () => finished);
    await sent;
    return { finished };
  };

  const chain = (d: StoredDelivery): void => {
    const c = ctx();
    const dropEvery = c.faults.webhooks.dropEvery ?? 0;
    counter += 1;
    if (dropEvery > 0 && counter % dropEvery === 0) {
      d.status = 'dropped';
      c.save();
      return;
    }
    const next = tail.then(() => send(d, { duplicateOk: true, redelivery: false }));
    tail = next.then(() => undefined).catch(() => undefined);
    c.jobs.run('webhook queue', async () => {
      await next;
    });
  };

  return {
    enqueue({ event, action, installationId, payload }) {
      const c = ctx();
      const d: StoredDelivery = {
        id: randomUUID(),
        event,
        action,
        installationId,
        repositoryId: repositoryIdOf(payload),
        status: 'pending',
        attempts: 0,
        deliveredAt: null,
        durationMs: 0,
      };
      const body = JSON.stringify(payload);
      mkdirSync(join(c.dir, 'deliveries'), { recursive: true });
      writeFileSync(bodyPath(c, d.id), body);
      bodies.set(d.id, body);
      c.state.deliveries.push(d);
      if (c.state.deliveries.length > MAX_LOG) {
        for (const old of c.state.deliveries.splice(0, c.state.deliveries.length - MAX_LOG)) {
          bodies.delete(old.id);
          rmSync(bodyPath(c, old.id), { force: true });
        }
      }
      if (bodies.size > 200) bodies.delete(bodies.keys().next().value as string);
      c.save();
      if (c.faults.webhooks.reorder) {
        if (held) {
          const first = held;
          held = null;
          chain(d);
          chain(first);
        } else {
          held = d;
          c.jobs.later('webhook reorder window', REORDER_WINDOW_MS, async () => {
            if (held === d) {
              held = null;
              chain(d);
            }
          });
        }
      } else {
        chain(d);
      }
      return d.id;
    },
    async redeliver(id) {
      const c = ctx();
      const d = c.state.deliveries.find((x) => x.id === id);
      if (!d) throw new Error(`sandbox: no webhook delivery with id ${id}`);
      const next = tail.then(() => send(d, { duplicateOk: false, redelivery: true }));
      tail = next.then(() => undefined).catch(() => undefined);
      await (await next).finished;
    },
    body(id) {
      return bodyOf(ctx(), id);
    },
    resetFaults() {
      counter = 0;
    },
    records() {
      return ctx().state.deliveries.map((d) => ({
        id: d.id,
        event: d.event,
        action: d.action,
        status: d.status,
        attempts: d.attempts,
        deliveredAt: d.deliveredAt,
        durationMs: d.durationMs,
      }));
    },
  };
}
