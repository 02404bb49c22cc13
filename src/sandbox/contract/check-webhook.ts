import { runValidator, type ContractContext } from './contract-context.ts';
import { getAt } from './json-pointer.ts';
import type { Violation } from './types.ts';

/**
 * Check a webhook payload against the spec's `x-webhooks` entry for the event and action
 * (`pull_request` + `opened` → `pull-request-opened`; `push` and `status` have no action).
 * The payload's own `action` must equal the action the delivery is sent as.
 */
export function checkWebhook(ctx: ContractContext, event: string, action: string | undefined, payload: unknown): Violation[] {
  const where = action ? `webhook ${event}.${action}` : `webhook ${event}`;
  const fail = (messages: string[]): Violation[] => messages.map((message) => ({ kind: 'webhook', where, message }));
  const found = ctx.webhooks.lookup(event, action);
  if (!found || getAt(ctx.spec, found.schemaTokens) === undefined) {
    return fail([`GitHub's OpenAPI description has no webhook ${where.slice('webhook '.length)} in x-webhooks`]);
  }
  const messages: string[] = [];
  const payloadAction = (payload as { action?: unknown } | null)?.action;
  if (action && payloadAction !== undefined && payloadAction !== action) {
    messages.push(`payload/action is ${JSON.stringify(payloadAction)} but the delivery is ${event}.${action}`);
  }
  messages.push(...runValidator(ctx, ctx.cache.schema(found.schemaTokens), payload, 'payload', where));
  return fail(messages);
}
