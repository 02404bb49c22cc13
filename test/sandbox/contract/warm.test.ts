import { describe, expect, it } from 'vitest';
import { createContractChecker, ContractUsageError } from '../../../src/sandbox/contract/checker.ts';
import { SANDBOX_WARM_LIST } from '../../../src/sandbox/contract/sandbox-operations.ts';

describe('warm', () => {
  it('compiles every schema the sandbox needs, after which checks compile nothing new', () => {
    const checker = createContractChecker();
    const t0 = performance.now();
    checker.warm(SANDBOX_WARM_LIST);
    const warmMs = performance.now() - t0;
    const after = checker.stats();
    // A figure for the log, not an assertion: see bench/contract.ts for the full breakdown.
    console.log(`contract warm: ${after.compiled} validators in ${warmMs.toFixed(0)} ms (load ${(after.parseMs + after.normalizeMs).toFixed(0)} ms, ajv init ${after.ajvInitMs.toFixed(0)} ms)`);
    expect(after.compiled).toBeGreaterThan(SANDBOX_WARM_LIST.operations!.length);

    checker.checkResponse({ method: 'GET', path: '/repos/o/r/pulls/1', status: 404, body: { message: 'Not Found' } });
    checker.checkRequest({ method: 'GET', path: '/repos/o/r/pulls', query: new URLSearchParams('state=open'), body: undefined });
    checker.checkRequest({ method: 'POST', path: '/repos/o/r/issues/comments/1/reactions', query: new URLSearchParams(), body: { content: 'eyes' } });
    checker.checkWebhook('check_suite', 'completed', {});
    expect(checker.stats().compiled).toBe(after.compiled);
  });

  it('throws a usage error naming an operation or webhook that does not exist', () => {
    const checker = createContractChecker();
    expect(() => checker.warm({ operations: [{ method: 'GET', path: '/repos/{owner}/{repo}/teleport' }] })).toThrow(
      new ContractUsageError("warm: no operation GET /repos/{owner}/{repo}/teleport in GitHub's OpenAPI description"),
    );
    expect(() => checker.warm({ webhooks: [{ event: 'pull_request', action: 'merged' }] })).toThrow(/no webhook pull_request\.merged/);
  });

  it('returns one shared checker per process unless a fresh one is asked for', () => {
    expect(createContractChecker()).toBe(createContractChecker());
    expect(createContractChecker({ fresh: true })).not.toBe(createContractChecker());
  });
});
