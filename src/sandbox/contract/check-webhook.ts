import { runValidator, type ContractContext } from './contract-context.ts';
import { getAt } from './json-pointer.ts';
import type { Violation } from './types.ts';

/**
 * Check a webhook payload against the spec's `x-webhooks` entry for the event and action
 * (`pull_request` + `opened` → `pull-request-opened`; `push` and `status` have no action).
 * The payload's own `action` must equal the action the delivery is sent as; when no action is given and the
 * event has actions, the payload's `action` picks the schema.
 */
export function checkWebhook(ctx: ContractContext, event: string, given: string | undefined, payload: unknown): Violation[] {
  const payloadAction = (payload as { action?: unknown } | null)?.action;
  // Without an explicit action, an event that has actions is checked as the payload's own action.
  const action = given ?? (typeof payloadAction === 'string' && !ctx.webhooks.lookup(event, undefined) ? payloadAction : undefined);
  const where = action ? `webhook ${event}.${action}` : `webhook ${event}`;
  const fail = (messages: string[]): Violation[] => messages.map((message) => ({ kind: 'webhook', where, message }));
  const found = ctx.webhooks.lookup(event, action);
  if (!found || getAt(ctx.spec, found.schemaTokens) === undefined) {
    return fail([`GitHub's OpenAPI description has no webhook ${where.slice('webhook '.length)} in x-webhooks`]);
  }
  const messages: string[] = [];
  if (action && payloadAction !== undefined && payloadAction !== action) {
    messages.push(`payload/action is ${JSON.stringify(payloadAction)} but the delivery is ${event}.${action}`);
  }
  messages.push(...runValidator(ctx, ctx.cache.schema(found.schemaTokens), payload, 'payload', where));
  return fail(messages);
}
