/**
 * Benchmark: how much GitHub's 5xx answers delay a rollback's start. Ten one-repository rollbacks,
 * one after the other, with no faults and then with a seeded share of REST calls answered 502; for
 * each, the time from the `/rollback` comment to the tracking issue being open and to the revert PR
 * being open. Unwind runs as `unwind serve` does (Octokit's retry plugin with GitHub's own back-off
 * base, Unwind's command retries); pacing is off, so only the faults cost time.
 *
 *   npx tsx bench/faults.ts [RATE]        # default 0.1 (one call in ten answers 502)
 *
 * Prints per fault rate `faults <rate>: tracking issue p50 <ms> ms, max <ms> ms; revert PR p50 <ms> ms, max <ms> ms`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUnwindServer } from '../src/app/start-server.ts';
import { mergeChangeSet, ONCALL, seedOrg } from '../src/demo/seed-org.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const RATE = Number(process.argv[2] ?? 0.1);
const RUNS = 10;
if (!(RATE > 0 && RATE < 1)) throw new Error(`bench/faults.ts: the fault rate must be between 0 and 1, got "${process.argv[2]}"`);

const dir = mkdtempSync(join(tmpdir(), 'unwind-faults-'));
const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: false });
const server = await startUnwindServer({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, webhookSecret: sandbox.app.webhookSecret, baseUrl: sandbox.baseUrl, workRoot: dir, pollMs: 200, throttle: false, logLevel: 'fatal' });
sandbox.setWebhookUrl(server.webhookUrl);
await server.unwind.ready;

const percentile = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

for (const [label, rate] of [['0', 0], [String(RATE), RATE]] as const) {
  const org = `faults${label.replace('.', '')}`;
  const repos = Array.from({ length: RUNS }, (_, i) => `svc${i}`);
  await seedOrg(sandbox.driver, { org, services: repos.map((r) => ({ name: r, repo: `${org}/${r}` })) });
  const merged = await mergeChangeSet(sandbox.driver, org, repos.map((r) => ({ repo: `${org}/${r}`, branch: 'change', title: `Change ${r}`, files: { 'src/app.txt': `${r} v2\n` } })));
  await sandbox.idle();
  await server.unwind.idle();
  const tracking: number[] = [];
  const pr: number[] = [];
  for (const [i, repo] of repos.entries()) {
    // Issues and PRs share one sequence: the tracking issue is the next number after the merged PR.
    const trackingNumber = merged[i]!.number + 1;
    sandbox.driver.setFaults(rate ? { errorRate5xx: rate, seed: 11 + i } : {});
    const t = Date.now();
    let trackingAt = NaN;
    await sandbox.driver.comment(ONCALL, org, repo, merged[i]!.number, '/rollback --reason "bench"');
    const deadline = t + 300_000;
    while (!sandbox.driver.listPulls(org, repo).some((p) => p.headRef.startsWith('unwind/'))) {
      if (Number.isNaN(trackingAt) && exists(org, repo, trackingNumber)) trackingAt = Date.now() - t;
      if (Date.now() > deadline) throw new Error(`run ${i + 1}: no revert PR in ${org}/${repo} within 300 s`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const prAt = Date.now() - t;
    tracking.push(Number.isNaN(trackingAt) ? prAt : trackingAt);
    pr.push(prAt);
    // Let it finish without faults before the next run, so runs do not overlap.
    sandbox.driver.setFaults({});
    for (let k = 0; k < 3; k++) {
      await sandbox.idle();
      await server.unwind.idle();
    }
  }
  process.stdout.write(`  faults ${label}: tracking issue ${tracking.join(', ')} ms; revert PR ${pr.join(', ')} ms\n`);
  process.stdout.write(`faults ${label}: tracking issue p50 ${percentile(tracking, 50)} ms, max ${Math.max(...tracking)} ms; revert PR p50 ${percentile(pr, 50)} ms, max ${Math.max(...pr)} ms\n`);
}
await server.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });

function exists(org: string, repo: string, n: number): boolean {
  try {
    sandbox.driver.getIssue(org, repo, n);
    return true;
  } catch {
    return false;
  }
}
