import type { ErrorObject, ValidateFunction } from 'ajv';
import { buildRouter, type Router } from './build-router.ts';
import { describeErrors } from './describe-errors.ts';
import { isIgnored } from './known-deviations.ts';
import { loadSpec, type OpenApiSpec } from './load-spec.ts';
import { SchemaCache } from './schema-cache.ts';
import { indexWebhooks, type WebhookIndex } from './index-webhooks.ts';

/** Everything the three checks share: the spec, the router, the validator cache and the webhook index. */
export interface ContractContext {
  spec: OpenApiSpec;
  router: Router;
  cache: SchemaCache;
  webhooks: WebhookIndex;
  timings: { parseMs: number; normalizeMs: number; routerMs: number };
}

export function createContractContext(): ContractContext {
  const loaded = loadSpec();
  const t0 = performance.now();
  const router = buildRouter(loaded.spec);
  const routerMs = performance.now() - t0;
  return {
    spec: loaded.spec,
    router,
    cache: new SchemaCache(loaded.spec),
    webhooks: indexWebhooks(loaded.spec),
    timings: { ...loaded.timings, routerMs },
  };
}

/**
 * Run a validator and describe what failed, minus the errors listed in known-deviations.ts.
 * `label` prefixes each message (`body`, `payload`, `query`, …); `where` is used for the allow-list lookup.
 */
export function runValidator(
  ctx: ContractContext,
  validate: ValidateFunction,
  data: unknown,
  label: string,
  where: string,
): string[] {
  if (validate(data)) return [];
  const errors: ErrorObject[] = (validate.errors ?? []).filter((e) => !isIgnored(where, e.instancePath, e.keyword));
  if (errors.length === 0) return [];
  return describeErrors(errors, data, label, ctx.cache);
}
