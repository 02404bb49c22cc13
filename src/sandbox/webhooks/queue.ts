/** Ordered webhook delivery queue with a delivery log, redelivery and injectable faults. */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxContext } from '../context.ts';
import type { StoredDelivery } from '../state/model.ts';
import type { DeliveryRecord } from '../types.ts';
import { postDelivery } from './post-delivery.ts';

const HOOK_ID = 4242001;
const MAX_LOG = 2000;
const REORDER_WINDOW_MS = 40;

export interface WebhookQueue {
  enqueue(d: { event: string; action: string | null; installationId: number | null; payload: unknown }): string;
  redeliver(id: string): Promise<void>;
  records(): DeliveryRecord[];
  /** Restart fault counting (dropEvery) after faults change. */
  resetFaults(): void;
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

  const send = async (d: StoredDelivery, duplicateOk: boolean): Promise<{ finished: Promise<void> }> => {
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
    const started = Date.now();
    const { sent, done } = postDelivery({ url, id: d.id, event: d.event, body: bodyOf(c, d.id), secret: c.app.webhookSecret, hookId: HOOK_ID, appId: c.app.id });
    const finished = (async () => {
      const status = await done;
      d.status = status;
      d.deliveredAt = c.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
      d.durationMs = Date.now() - started;
      c.save();
      if (duplicateOk && c.faults.webhooks.duplicate) await (await send(d, false)).finished;
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
    const next = tail.then(() => send(d, true));
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
      const next = tail.then(() => send(d, false));
      tail = next.then(() => undefined).catch(() => undefined);
      await (await next).finished;
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
