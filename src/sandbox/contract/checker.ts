import { checkRequest } from './check-request.ts';
import { checkResponse } from './check-response.ts';
import { checkWebhook } from './check-webhook.ts';
import { createContractContext, type ContractContext } from './contract-context.ts';
import { warmContract } from './warm-contract.ts';
import type { ContractChecker } from './types.ts';

export type {
  ContractChecker,
  ContractStats,
  RequestToCheck,
  ResponseToCheck,
  RouteMatch,
  Violation,
  WarmList,
} from './types.ts';
export { ContractUsageError } from './types.ts';

let shared: ContractChecker | undefined;

/**
 * The contract checker for GitHub's OpenAPI description (api.github.com).
 *
 * One per process: the parsed spec (13 MB of JSON, ~40 MB of heap) and each Ajv instance (~100 ms to set up)
 * are costly, and compiled validators are worth sharing, so every call returns the same checker.
 * Pass `{ fresh: true }` for a separate validator cache (benchmarks); the parsed spec is still shared.
 * Everything compiles lazily on first use; call `warm()` to pay that cost up front.
 */
export function createContractChecker(options: { fresh?: boolean } = {}): ContractChecker {
  if (!options.fresh && shared) return shared;
  const checker = checkerFor(createContractContext());
  if (!options.fresh) shared = checker;
  return checker;
}

function checkerFor(ctx: ContractContext): ContractChecker {
  return {
    route(method, path) {
      const hit = ctx.router.match(method, path);
      if (!hit) return null;
      const { operation } = hit;
      return { operationId: operation.operationId, template: operation.template, method: operation.method, params: hit.params };
    },
    checkRequest: (r) => checkRequest(ctx, r),
    checkResponse: (r) => checkResponse(ctx, r),
    checkWebhook: (event, action, payload) => checkWebhook(ctx, event, action, payload),
    warm: (list) => warmContract(ctx, list),
    stats: () => ({ ...ctx.timings, ...ctx.cache.stats }),
  };
}
