/**
 * Several replicas: three real `unwind serve` processes behind a round-robin webhook balancer, one
 * sandbox. Each running rollback is driven by the replica holding its lease in the registry; a
 * replica killed with SIGKILL, or frozen with SIGSTOP past its lease, is taken over by another, and
 * the frozen one writes nothing more once it wakes. Every test checks there is one of everything:
 * revert branch, PR and merge per repository, ledger entries numbered 1..n, one origin reply.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, SRE_LEAD, seedOrg } from '../../src/demo/seed-org.ts';
import { REGISTRY_BRANCH, REGISTRY_PATH } from '../../src/registry/registry-store.ts';
import type { RegistryDoc } from '../../src/registry/registry-doc.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';
import { firstTracking, isRevertBranch, ledgerEntries, revertBranches, rollbackOfPull, sandboxGit } from './support/sandbox-reads.ts';
import { freePort, startServe, type ServeProcess } from './support/serve-process.ts';
import { startWebhookProxy, type WebhookProxy } from './support/webhook-proxy.ts';

// Long enough that a loaded 2-core machine renews in time: a registry write took 11 s at load 10, and with
// a 4 s, then a 20 s lease the replicas lost leases to their own clocks and took them from each other
// (a suite run at load 12-15 had the kill -9 case miss its 300 s bound with a 20 s lease).
const LEASE_MS = 40_000;
const RECONCILE_MS = 3_000;

interface Replica {
  readonly id: string;
  readonly port: number;
  readonly workDir: string;
  proc: ServeProcess;
  up: boolean;
}

let sandbox: TestSandbox;
let proxy: WebhookProxy;
const replicas: Replica[] = [];

function envFor(id: string): Record<string, string> {
  return { UNWIND_POLL_MS: '200', UNWIND_RECONCILE_MS: String(RECONCILE_MS), UNWIND_PACING: 'off', UNWIND_REPLICA_ID: id, UNWIND_LEASE_MS: String(LEASE_MS), LOG_LEVEL: 'info' };
}

async function start(r: Omit<Replica, 'proc' | 'up'>): Promise<ServeProcess> {
  return startServe({ sandbox, port: r.port, workDir: r.workDir, env: envFor(r.id), webhooks: 'elsewhere' });
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  proxy = await startWebhookProxy();
  for (const id of ['r1', 'r2', 'r3']) {
    const r = { id, port: await freePort(), workDir: mkdtempSync(join(tmpdir(), `unwind-${id}-`)) };
    replicas.push({ ...r, proc: await start(r), up: true });
  }
  proxy.setBackends(
    replicas.map((r) => `http://127.0.0.1:${r.port}`),
    (url) => replicas.some((r) => r.up && url.endsWith(`:${r.port}`)),
  );
  sandbox.setWebhookUrl(proxy.url);
}, 120_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.proc.stop()));
  await proxy?.close();
  await sandbox?.close();
  for (const r of replicas) rmSync(r.workDir, { recursive: true, force: true });
}, 120_000);

function output(): string {
  return replicas.map((r) => `--- ${r.id}:\n${r.proc.output().split('\n').slice(-30).join('\n')}`).join('\n');
}

/** Waits for a state (bounded well inside the test's timeout, so a failure says what the replicas were doing). */
async function until(done: () => boolean, what: string, meanwhile?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (!done() && Date.now() < deadline) {
    await meanwhile?.();
    await sandbox.idle();
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!done()) throw new Error(`${what} was never reached; the replicas said:\n${output()}`);
}

function gitIn(org: string, repo: string, ...args: string[]): string {
  return sandboxGit(sandbox, org, repo, ...args);
}

function registry(org: string): RegistryDoc | null {
  try {
    return (JSON.parse(gitIn(org, '.github', 'show', `${REGISTRY_BRANCH}:${REGISTRY_PATH}`)) as { doc: RegistryDoc }).doc;
  } catch {
    return null;
  }
}

function tracking(org: string, repo: string) {
  return firstTracking(sandbox, org, repo);
}

function ledger(org: string, repo: string, n: number) {
  return ledgerEntries(sandbox, org, repo, n);
}

function reverts(org: string, repo: string) {
  return sandbox.driver.listPulls(org, repo).filter((p) => isRevertBranch(p.headRef));
}

/** A two-wave rollback (front depends on back) whose revert PRs pass CI only when the test says so. */
async function startRollback(org: string): Promise<{ origin: number; passCi: (allowed: boolean) => () => Promise<void> }> {
  await seedOrg(sandbox.driver, { org, services: [{ name: 'front', repo: `${org}/front`, dependsOn: ['back'], waitFor: ['ci'] }, { name: 'back', repo: `${org}/back`, waitFor: ['ci'] }] });
  const [back] = await mergeChangeSet(sandbox.driver, org, [
    { repo: `${org}/back`, branch: 'b', title: 'Back change', files: { 'src/app.txt': 'back v2\n' } },
    { repo: `${org}/front`, branch: 'f', title: 'Front change', files: { 'src/app.txt': 'front v2\n' }, dependsOn: [0] },
  ]);
  await sandbox.driver.comment(ONCALL, org, 'back', back.number, '/rollback');
  const passed = new Set<string>();
  return {
    origin: back.number,
    passCi: (allowed) => async () => {
      if (!allowed) return;
      for (const repo of ['front', 'back']) {
        const pr = reverts(org, repo)[0];
        if (!pr || passed.has(pr.headSha)) continue;
        passed.add(pr.headSha);
        await sandbox.driver.reportCheck(org, repo, pr.headSha, { name: 'ci', result: 'success' });
      }
    },
  };
}

/** The one-of-everything checks, and the registry's leases in the order they were taken. */
function expectOneOfEverything(org: string, origin: number): { leases: string[] } {
  const t = tracking(org, 'back')!;
  expect(t.state?.status).toBe('completed');
  const entries = ledger(org, 'back', t.number);
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  expect(entries[0].action).toBe('requested');
  expect(entries.at(-1)?.action).toBe('completed');
  for (const repo of ['front', 'back']) {
    expect(reverts(org, repo)).toHaveLength(1);
    expect(reverts(org, repo).filter((p) => p.merged)).toHaveLength(1);
    expect(revertBranches(sandbox, org, repo)).toHaveLength(1);
  }
  expect(sandbox.driver.listComments(org, 'back', origin).filter((c) => c.viaApp && c.body.includes('tracking issue'))).toHaveLength(1);
  const doc = registry(org)!;
  expect(doc.locks).toEqual({});
  expect(doc.recent.map((r) => r.status)).toEqual(['completed']);
  const leases = gitIn(org, '.github', 'log', '--reverse', '--format=%s', REGISTRY_BRANCH)
    .split('\n')
    .flatMap((line) => /[:;] lease taken by (\S+)$/.exec(line)?.[1] ?? []);
  return { leases };
}

describe('several replicas behind a round-robin balancer', () => {
  it('two /rollback commands on overlapping repositories from different origins, at the same instant on two replicas: exactly one proceeds', async () => {
    const org = 'ha-race';
    await seedOrg(sandbox.driver, { org, services: [{ name: 'api', repo: `${org}/api` }] });
    const d = sandbox.driver;
    await d.createRepo(org, 'incidents');
    await d.addCollaborator(org, 'incidents', SRE_LEAD, 'write');
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'b', title: 'Change', files: { 'src/app.txt': 'api v2\n' } }]);
    const incident = await d.createIssue(SRE_LEAD, org, 'incidents', { title: 'Outage' });
    const before = proxy.routed.length;
    await Promise.all([d.comment(ONCALL, org, 'api', change.number, '/rollback'), d.comment(SRE_LEAD, org, 'incidents', incident, `/rollback ${org}/api#${change.number}`)]);
    const replies = () => [...d.listComments(org, 'api', change.number), ...d.listComments(org, 'incidents', incident)].filter((c) => c.viaApp).map((c) => c.body);
    const done = () => {
      const t = tracking(org, 'api') ?? tracking(org, 'incidents');
      return t?.state?.status === 'completed' && replies().some((b) => b.includes('is held by rollback'));
    };
    await until(done, 'one completed rollback and one refusal');
    // The two commands were handled by two different replicas.
    const commandRoutes = proxy.routed.slice(before).filter((_, i, all) => all.indexOf(all[i]) === i);
    expect(commandRoutes.length).toBeGreaterThanOrEqual(2);
    const winner = (tracking(org, 'api') ?? tracking(org, 'incidents'))!;
    expect([tracking(org, 'api'), tracking(org, 'incidents')].filter(Boolean)).toHaveLength(1);
    expect(replies().filter((b) => b.includes('is held by rollback') && b.includes(winner.state!.id))).toHaveLength(1);
    expect(reverts(org, 'api')).toHaveLength(1);
    expect(reverts(org, 'api').map((p) => rollbackOfPull(sandbox, org, 'api', p.number))).toEqual([winner.state!.id]);
  }, 600_000);

  // Under heavy load (a registry write took 11 s at load 10) a loop may still lose its lease to its own
  // clock and be taken up again: allowed, as long as nothing happens twice (checked below).
  it('kill -9 of the replica driving a rollback in the middle of a wave: another finishes it after the lease runs out, nothing twice', async () => {
    const org = 'ha-kill';
    const { origin, passCi } = await startRollback(org);
    await until(() => Boolean(registry(org)?.rollbacks && Object.values(registry(org)!.rollbacks)[0]?.lease) && reverts(org, 'front').length === 1, 'the first wave open under a lease');
    const lease = Object.values(registry(org)!.rollbacks)[0].lease!;
    const driver = replicas.find((r) => r.id === lease.holder)!;
    driver.up = false;
    await driver.proc.kill9();
    const killedAt = Date.now();
    await until(() => (Object.values(registry(org)?.rollbacks ?? {})[0]?.lease?.holder ?? lease.holder) !== lease.holder, 'another replica taking the lease');
    const takeover = Object.values(registry(org)!.rollbacks)[0].lease!;
    // Never before the dead replica's lease ran out (the new lease was taken at until - LEASE_MS).
    expect(Date.parse(takeover.until) - LEASE_MS).toBeGreaterThanOrEqual(Date.parse(lease.until) - 1_000);
    expect(takeover.epoch).toBeGreaterThan(lease.epoch);
    process.stdout.write(`replicas: takeover ${Date.now() - killedAt} ms after kill -9 (lease ${LEASE_MS} ms, reconciler every ${RECONCILE_MS} ms)\n`);
    await until(() => tracking(org, 'back')?.state?.status === 'completed' && Object.keys(registry(org)?.locks ?? { x: 1 }).length === 0, 'the completed rollback, its locks released', passCi(true));
    const { leases } = expectOneOfEverything(org, origin);
    // The registry's history shows the hand-over: the driver held the lease, another replica took it last.
    // (Under load a lease may also move between live replicas earlier: that is allowed.)
    expect(leases).toContain(driver.id);
    expect(leases.at(-1)).not.toBe(driver.id);
    // A supervisor restarts the killed replica for the next test.
    driver.proc = await start(driver);
    driver.up = true;
  }, 900_000);

  it('a replica frozen (SIGSTOP) past its lease: another takes over and finishes; woken up, the frozen one writes nothing more', async () => {
    const org = 'ha-freeze';
    const { origin, passCi } = await startRollback(org);
    await until(() => Boolean(Object.values(registry(org)?.rollbacks ?? {})[0]?.lease) && reverts(org, 'front').length === 1, 'the first wave open under a lease');
    const lease = Object.values(registry(org)!.rollbacks)[0].lease!;
    const driver = replicas.find((r) => r.id === lease.holder)!;
    driver.up = false;
    driver.proc.freeze();
    try {
      await until(() => (Object.values(registry(org)?.rollbacks ?? {})[0]?.lease?.holder ?? lease.holder) !== lease.holder, 'another replica taking the lease');
      await until(() => tracking(org, 'back')?.state?.status === 'completed' && Object.keys(registry(org)?.locks ?? { x: 1 }).length === 0, 'the completed rollback, its locks released', passCi(true));
    } finally {
      driver.proc.thaw();
      driver.up = true;
    }
    const sinceThaw = driver.proc.output().length;
    const t = tracking(org, 'back')!;
    const snapshot = () => ({
      ledger: ledger(org, 'back', t.number).length,
      comments: sandbox.driver.listComments(org, 'back', t.number).length + sandbox.driver.listComments(org, 'back', origin).length,
      pulls: reverts(org, 'front').length + reverts(org, 'back').length,
      body: sandbox.driver.getIssue(org, 'back', t.number)?.body,
      registry: gitIn(org, '.github', 'rev-parse', REGISTRY_BRANCH),
    });
    const before = snapshot();
    // Woken up, it finds its lease gone (its clock ran past it, or its renewal finds a newer epoch) and stops.
    await until(() => /its lease is gone|lease lost to another replica/.test(driver.proc.output().slice(sinceThaw)), 'the woken replica noticing it lost the lease');
    await sandbox.idle();
    expect(snapshot()).toEqual(before);
    const { leases } = expectOneOfEverything(org, origin);
    // The registry's history shows the hand-over: the driver held the lease, another replica took it last.
    // (Under load a lease may also move between live replicas earlier: that is allowed.)
    expect(leases).toContain(driver.id);
    expect(leases.at(-1)).not.toBe(driver.id);
  }, 900_000);
});
