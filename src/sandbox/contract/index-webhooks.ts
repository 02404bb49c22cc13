import type { Tokens } from './json-pointer.ts';
import type { OpenApiSpec } from './load-spec.ts';

export interface WebhookIndex {
  /** Pointer to the payload schema for `event` + `action`, or undefined when the spec has no such webhook. */
  lookup(event: string, action: string | undefined): { key: string; schemaTokens: Tokens } | undefined;
}

/**
 * Index the spec's `x-webhooks` by their operationId (`pull-request/opened`, `push`), which is the event
 * name and action with `_` written as `-`. Keys usually equal the operationId with `/` → `-`, but not always
 * (`custom-property-promoted-to-enterprise` is `custom-property/promote-to-enterprise`), so both are indexed.
 */
export function indexWebhooks(spec: OpenApiSpec): WebhookIndex {
  const byId = new Map<string, { key: string; method: string }>();
  for (const [key, item] of Object.entries(spec['x-webhooks'])) {
    const method = Object.keys(item)[0];
    const op = item[method] as { operationId?: unknown } | undefined;
    if (typeof op?.operationId === 'string') byId.set(op.operationId, { key, method });
    if (!byId.has(key)) byId.set(key, { key, method });
  }
  return {
    lookup(event, action) {
      const e = event.replace(/_/g, '-');
      const id = action === undefined || action === '' ? e : `${e}/${action.replace(/_/g, '-')}`;
      const hit = byId.get(id) ?? byId.get(id.replace('/', '-'));
      if (!hit) return undefined;
      return {
        key: hit.key,
        schemaTokens: ['x-webhooks', hit.key, hit.method, 'requestBody', 'content', 'application/json', 'schema'],
      };
    },
  };
}
