import type { ContractContext } from './contract-context.ts';
import { isJsonMedia } from './describe-operation.ts';
import { deref, getAt } from './json-pointer.ts';
import { ContractUsageError, type WarmList } from './types.ts';

/**
 * Compile, ahead of time, every validator the listed operations and webhooks will need: parameters,
 * JSON request body, every documented JSON response, and webhook payloads. Unknown entries are programming
 * errors and throw, naming the entry.
 */
export function warmContract(ctx: ContractContext, list: WarmList): void {
  for (const { method, path } of list.operations ?? []) {
    const op = ctx.router.find(method, path) ?? ctx.router.match(method, path)?.operation;
    if (!op) throw new ContractUsageError(`warm: no operation ${method.toUpperCase()} ${path} in GitHub's OpenAPI description`);
    const key = op.tokens.join(' ');
    const pathParams = op.params.filter((p) => p.in === 'path');
    const queryParams = op.params.filter((p) => p.in === 'query');
    if (pathParams.length > 0) ctx.cache.params(`${key} path`, pathParams);
    if (queryParams.length > 0) ctx.cache.params(`${key} query`, queryParams);
    const body = deref(ctx.spec, [...op.tokens, 'requestBody']);
    compileContent(ctx, body.tokens, body.value);
    for (const status of Object.keys((op.op.responses as Record<string, unknown> | undefined) ?? {})) {
      const response = deref(ctx.spec, [...op.tokens, 'responses', status]);
      compileContent(ctx, response.tokens, response.value);
    }
  }
  for (const { event, action } of list.webhooks ?? []) {
    const found = ctx.webhooks.lookup(event, action);
    if (!found || getAt(ctx.spec, found.schemaTokens) === undefined) {
      throw new ContractUsageError(`warm: no webhook ${action ? `${event}.${action}` : event} in x-webhooks`);
    }
    ctx.cache.schema(found.schemaTokens);
  }
  ctx.cache.schema(['components', 'schemas', 'basic-error']);
}

function compileContent(ctx: ContractContext, tokens: readonly string[], value: unknown): void {
  const content = (value as { content?: Record<string, unknown> } | undefined)?.content ?? {};
  for (const media of Object.keys(content).filter(isJsonMedia)) {
    const schemaTokens = [...tokens, 'content', media, 'schema'];
    if (getAt(ctx.spec, schemaTokens) !== undefined) ctx.cache.schema(schemaTokens);
  }
}
