/**
 * Test helper: a sandbox in a fresh temp dir (strict mode on). `close()` asserts that the contract checker
 * found nothing (requests, responses, webhooks, unknown endpoints), then shuts down and removes the dir.
 *
 *   const sb = await startTestSandbox();
 *   afterAll(() => sb.close());
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index.ts';
import type { Violation } from '../../../src/sandbox/types.ts';

export interface TestSandbox extends Sandbox {
  readonly dir: string;
  /** Throws with a readable list when strict mode recorded violations. */
  expectNoViolations(): void;
  /** Closes without asserting and keeps the directory (for restart tests). */
  closeKeepingDir(): Promise<void>;
  /** Closes without asserting and removes the directory (sandboxes that provoke violations on purpose). */
  discard(): Promise<void>;
}

export function formatViolations(vs: Violation[]): string {
  return vs.map((v, i) => `${i + 1}. [${v.kind}] ${v.where}: ${v.message}`).join('\n');
}

export async function startTestSandbox(opts: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'unwind-sandbox-'));
  const sb = await startSandbox({ strict: true, ...opts, dir });
  const expectNoViolations = (): void => {
    const vs = sb.violations();
    if (vs.length > 0) throw new Error(`sandbox contract violations:\n${formatViolations(vs)}`);
  };
  return {
    dir,
    baseUrl: sb.baseUrl,
    app: sb.app,
    driver: sb.driver,
    installationId: (a: string) => sb.installationId(a),
    setWebhookUrl: (u: string | null) => sb.setWebhookUrl(u),
    violations: () => sb.violations(),
    deliveries: () => sb.deliveries(),
    redeliver: (id: string) => sb.redeliver(id),
    onRequest: (hook) => sb.onRequest(hook),
    requestStats: () => sb.requestStats(),
    resetRequestStats: () => sb.resetRequestStats(),
    graphqlOperations: () => sb.graphqlOperations(),
    idle: () => sb.idle(),
    expectNoViolations,
    async closeKeepingDir() {
      await sb.close();
    },
    async discard() {
      await sb.close();
      rmSync(dir, { recursive: true, force: true });
    },
    async close() {
      await sb.idle();
      await sb.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
      expectNoViolations();
    },
  };
}
