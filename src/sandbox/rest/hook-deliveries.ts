/**
 * The App's webhook deliveries (JWT): list attempts newest first with cursor pagination, get one attempt
 * with its request and response, redeliver an attempt's payload (same guid, fresh signature, 202).
 */
import type { SandboxContext } from '../context.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import { pageParams } from '../http/paginate.ts';
import { ok, type RestRequest, type RestResult, type RouteDef } from '../http/rest-types.ts';
import { hookDelivery, hookDeliveryItem } from '../objects/hook-delivery.ts';
import type { DeliveryAttemptState, StoredDelivery } from '../state/model.ts';
import { deliveryHeaders } from '../webhooks/post-delivery.ts';
import { HOOK_ID } from '../webhooks/queue.ts';
import { intParam } from './helpers.ts';

interface Attempt {
  delivery: StoredDelivery;
  attempt: DeliveryAttemptState;
}

/** Opaque to clients; names the last attempt of the previous page. */
const CURSOR = /^v1_(\d+)$/;

function attemptsNewestFirst(ctx: SandboxContext): Attempt[] {
  const all = ctx.state.deliveries.flatMap((delivery) => (delivery.attemptLog ?? []).map((attempt) => ({ delivery, attempt })));
  return all.sort((x, y) => y.attempt.id - x.attempt.id);
}

function findAttempt(ctx: SandboxContext, req: RestRequest): Attempt {
  const id = intParam(req, 'delivery_id');
  for (const delivery of ctx.state.deliveries) {
    const attempt = delivery.attemptLog?.find((a) => a.id === id);
    if (attempt) return { delivery, attempt };
  }
  throw notFound();
}

/** `status=success`: status_code 200–399; `failure`: 400–599 (as GitHub documents the filter). */
function statusFilter(raw: string | null): (a: Attempt) => boolean {
  if (raw === null) return () => true;
  if (raw === 'success') return ({ attempt }) => attempt.statusCode >= 200 && attempt.statusCode <= 399;
  if (raw === 'failure') return ({ attempt }) => attempt.statusCode >= 400 && attempt.statusCode <= 599;
  throw new HttpError(422, `Invalid status: ${raw}. Must be one of: success, failure.`);
}

function listDeliveries(ctx: SandboxContext, req: RestRequest): RestResult {
  const { perPage } = pageParams(req.query);
  const rawCursor = req.query.get('cursor') ?? '';
  const cursor = CURSOR.exec(rawCursor);
  if (rawCursor !== '' && !cursor) throw new HttpError(422, 'Invalid cursor');
  const before = cursor ? Number(cursor[1]) : Infinity;
  const matching = attemptsNewestFirst(ctx).filter(statusFilter(req.query.get('status'))).filter(({ attempt }) => attempt.id < before);
  const page = matching.slice(0, perPage);
  const headers: Record<string, string> = {};
  if (matching.length > perPage) {
    const next = new URL(req.url.toString());
    next.searchParams.set('per_page', String(perPage));
    next.searchParams.set('cursor', `v1_${page[page.length - 1].attempt.id}`);
    headers.link = `<${next.toString()}>; rel="next"`;
  }
  return ok(
    page.map(({ delivery, attempt }) => hookDeliveryItem(delivery, attempt)),
    200,
    headers,
  );
}

function getDelivery(ctx: SandboxContext, req: RestRequest): RestResult {
  const { delivery, attempt } = findAttempt(ctx, req);
  const body = ctx.webhooks.body(delivery.id);
  const requestHeaders = deliveryHeaders({ id: delivery.id, event: delivery.event, body, secret: ctx.app.webhookSecret, hookId: HOOK_ID, appId: ctx.app.id });
  return ok(hookDelivery(delivery, attempt, { requestHeaders, body }));
}

/** Queues the redelivery (tracked by `idle()`) and answers at once, like GitHub. */
function redeliverAttempt(ctx: SandboxContext, req: RestRequest): RestResult {
  const { delivery } = findAttempt(ctx, req);
  ctx.jobs.run(`redeliver ${delivery.event}`, () => ctx.webhooks.redeliver(delivery.id));
  return ok({}, 202);
}

export const hookDeliveryRoutes: RouteDef[] = [
  { method: 'GET', pattern: '/app/hook/deliveries', auth: 'app', handler: listDeliveries },
  { method: 'GET', pattern: '/app/hook/deliveries/:delivery_id', auth: 'app', handler: getDelivery },
  { method: 'POST', pattern: '/app/hook/deliveries/:delivery_id/attempts', auth: 'app', handler: redeliverAttempt },
];
