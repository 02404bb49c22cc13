/** GitHub's `hook-delivery-item` and `hook-delivery` objects for one delivery attempt. */
import type { DeliveryAttemptState, StoredDelivery } from '../state/model.ts';

export function hookDeliveryItem(d: StoredDelivery, a: DeliveryAttemptState): Record<string, unknown> {
  return {
    id: a.id,
    guid: d.id,
    delivered_at: a.deliveredAt,
    redelivery: a.redelivery,
    duration: a.durationMs / 1000,
    status: a.status,
    status_code: a.statusCode,
    event: d.event,
    action: d.action,
    installation_id: d.installationId,
    repository_id: d.repositoryId ?? null,
    throttled_at: null,
  };
}

/** `requestHeaders`: the headers as sent (signature over `body`); `body`: the exact JSON sent. */
export function hookDelivery(d: StoredDelivery, a: DeliveryAttemptState, p: { requestHeaders: Record<string, string>; body: string }): Record<string, unknown> {
  return {
    ...hookDeliveryItem(d, a),
    url: a.url,
    request: { headers: p.requestHeaders, payload: JSON.parse(p.body) as unknown },
    response: { headers: a.response.headers, payload: a.response.body },
  };
}
