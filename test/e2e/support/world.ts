/**
 * End-to-end world: the sandbox (strict OpenAPI mode) plus Unwind as a real Probot HTTP server that
 * receives signed webhooks. Helpers read results the way users and auditors would: through the
 * REST API, and git trees with git itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type DestinationStream } from 'pino';
import { startUnwindServer, type RunningServer } from '../../../src/app/start-server.ts';
import type { UnwindOptions } from '../../../src/app/create-app.ts';
import { seedOrg, type OrgSpec } from '../../../src/demo/seed-org.ts';
import { parseTrackingState } from '../../../src/execution/tracking-issue.ts';
import type { RollbackState } from '../../../src/execution/state.ts';
import { parseLedgerComment, type LedgerEntry } from '../../../src/ledger/entry.ts';
import { startTestSandbox, type TestSandbox } from '../../sandbox/support/start.ts';

export interface World {
  readonly sandbox: TestSandbox;
  server: RunningServer;
  readonly workRoot: string;
  startUnwind(opts?: Partial<UnwindOptions>): Promise<RunningServer>;
  /** Repositories seeded through `seed` (where a failed wait looks for rollbacks to describe). */
  readonly seeded: string[];
  /** Waits until the sandbox delivered every webhook and Unwind finished all its work. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(opts: Partial<UnwindOptions> = {}): Promise<World> {
  const sandbox = await startTestSandbox();
  const workRoot = mkdtempSync(join(tmpdir(), 'unwind-e2e-'));
  const world: World = {
    sandbox,
    workRoot,
    seeded: [],
    server: undefined as unknown as RunningServer,
    async startUnwind(more = {}) {
      const server = await startUnwindServer({
        appId: sandbox.app.id,
        privateKey: sandbox.app.privateKeyPem,
        webhookSecret: sandbox.app.webhookSecret,
        baseUrl: sandbox.baseUrl,
        workRoot,
        pollMs: 100,
        throttle: false,
        retryBaseMs: 20,
        // Debugging aid: UNWIND_TEST_LOG_DIR keeps each world's log (info, or UNWIND_TEST_LOG) in <dir>/world-<pid>-<port>.log.
        ...logTo(sandbox.baseUrl),
        ...opts,
        ...more,
      });
      sandbox.setWebhookUrl(server.webhookUrl);
      await server.unwind.ready;
      world.server = server;
      return server;
    },
    async settle() {
      for (let i = 0; i < 50; i++) {
        await sandbox.idle();
        await world.server.unwind.idle();
        await sandbox.idle();
        const pending = sandbox.deliveries().length;
        await world.server.unwind.idle();
        if (sandbox.deliveries().length === pending) return;
      }
    },
    async close() {
      await world.server?.close();
      await sandbox.close();
      rmSync(workRoot, { recursive: true, force: true });
    },
  };
  await world.startUnwind();
  return world;
}

/** Waits (bounded) until `done` holds, checking after each burst of sandbox activity: for states a running loop reaches while it waits. */
/** Waits until `done` holds, checking after each burst of sandbox activity; gives up after `ms` (inside the test's timeout, so a failure says what was not reached). */
export async function until(world: World, done: () => boolean, what = 'the awaited state', ms = 200_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) {
    await world.sandbox.idle();
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!done()) throw new Error(`${what} was never reached (waited ${ms / 1000} s); rollbacks then:\n${describeRollbacks(world)}`);
}

/** Every rollback tracked in the seeded repositories, one line each with where its steps stand (for a failed wait). */
function describeRollbacks(world: World): string {
  const lines: string[] = [];
  for (const full of world.seeded) {
    const [owner, repo] = full.split('/') as [string, string];
    let found: ReturnType<typeof trackingIssues> = [];
    try {
      found = trackingIssues(world, owner, repo);
    } catch {
      continue;
    }
    for (const t of found) {
      const steps = t.state.steps.map((x) => `${x.repo}:${x.state}${x.detail ? ` (${x.detail})` : ''}`).join(', ');
      lines.push(`  ${full}#${t.number} ${t.state.id} ${t.state.status} wave ${t.state.wave} seq ${t.state.seq}: ${steps}`);
    }
  }
  return lines.join('\n') || '  (none)';
}

export async function seed(world: World, spec: OrgSpec): Promise<void> {
  await seedOrg(world.sandbox.driver, spec);
  world.seeded.push(`${spec.org}/.github`, ...new Set(spec.services.map((x) => x.repo)));
}

/** The rollback tracking issues of a repo with their parsed state. */
export function trackingIssues(world: World, owner: string, repo: string): Array<{ number: number; state: RollbackState; open: boolean; labels: string[] }> {
  const out: Array<{ number: number; state: RollbackState; open: boolean; labels: string[] }> = [];
  for (let n = 1; n < 200; n++) {
    let issue;
    try {
      issue = world.sandbox.driver.getIssue(owner, repo, n);
    } catch {
      break;
    }
    if (!issue) break;
    const labels = issue.labels;
    if (!labels.includes('unwind:rollback')) continue;
    const state = parseTrackingState(issue.body ?? '');
    if (state) out.push({ number: n, state, open: issue.state === 'open', labels });
  }
  return out;
}

export function ledgerOf(world: World, owner: string, repo: string, issueNumber: number): LedgerEntry[] {
  return world.sandbox.driver
    .listComments(owner, repo, issueNumber)
    .filter((c) => c.viaApp)
    .map((c) => parseLedgerComment(c.body))
    .filter((e): e is LedgerEntry => e !== null);
}

export function commentsOn(world: World, owner: string, repo: string, issueNumber: number): string[] {
  return world.sandbox.driver.listComments(owner, repo, issueNumber).map((c) => c.body);
}

/** `git` on the sandbox's bare repository. */
export function git(world: World, owner: string, repo: string, ...args: string[]): string {
  return sandboxGit(world.sandbox, owner, repo, ...args);
}

export function fileAt(world: World, owner: string, repo: string, rev: string, path: string): string | null {
  try {
    return git(world, owner, repo, 'show', `${rev}:${path}`);
  } catch {
    return null;
  }
}

import { sandboxGit } from './sandbox-reads.ts';
export { isRevertBranch, revertBranches, rollbackOfPull } from './sandbox-reads.ts';

function logTo(baseUrl: string): { logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'; logDestination?: DestinationStream } {
  const level = process.env.UNWIND_TEST_LOG as 'info' | undefined;
  const dir = process.env.UNWIND_TEST_LOG_DIR;
  if (!dir) return { logLevel: level ?? 'fatal' };
  const port = new URL(baseUrl).port;
  return { logLevel: level ?? 'info', logDestination: pino.destination({ dest: join(dir, `world-${process.pid}-${port}.log`), append: true, mkdir: true, sync: true }) };
}
