/**
 * Benchmark: what an idle installation costs GitHub's rate limit, by the number of repositories.
 * For each size, an org with that many repositories (the App installed on all), one finished
 * rollback in its registry, then one hour of reconciliation (12 passes, the 5-minute period) with
 * nothing happening. The sandbox counts the requests: those that count against the rate limit and
 * the conditional ones answered 304 (which do not).
 *
 *   npx tsx bench/idle-cost.ts [SIZES…]     # default: 10 1000 10000
 *
 * Prints one line per size: `idle: <repos> repos, <n> counted requests/h, <m> conditional (304) requests/h`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUnwindServer } from '../src/app/start-server.ts';
import { mergeChangeSet, ONCALL, seedOrg } from '../src/demo/seed-org.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n >= 3);
const PASSES_PER_HOUR = 12;

for (const size of sizes.length ? sizes : [10, 1_000, 10_000]) {
  const dir = mkdtempSync(join(tmpdir(), 'unwind-idle-'));
  const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: false });
  const org = 'idle';
  await seedOrg(sandbox.driver, { org, services: [{ name: 'api', repo: `${org}/api` }] });
  // The rest of the org: repositories Unwind is installed on and never needs to look at.
  // (Copies of one real repository: writing 10,000 initial commits would only time git, not Unwind.)
  await sandbox.driver.createRepos(
    org,
    Array.from({ length: size - 2 }, (_, i) => `r${i}`),
  );
  await sandbox.driver.installApp(org, { repositories: 'all' });
  const server = await startUnwindServer({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, webhookSecret: sandbox.app.webhookSecret, baseUrl: sandbox.baseUrl, workRoot: dir, pollMs: 100, throttle: false, logLevel: 'fatal' });
  sandbox.setWebhookUrl(server.webhookUrl);
  await server.unwind.ready;
  // One rollback, finished: the registry exists and lists it among the recent ones.
  const [change] = await mergeChangeSet(sandbox.driver, org, [{ repo: `${org}/api`, branch: 'b', title: 'Change', files: { 'src/app.txt': 'api v2\n' } }]);
  await sandbox.driver.comment(ONCALL, org, 'api', change.number, '/rollback');
  for (let i = 0; i < 3; i++) {
    await sandbox.idle();
    await server.unwind.idle();
  }
  // Warm up once (the first pass after a change reads the registry in full), then one idle hour.
  await server.unwind.reconcile();
  sandbox.resetRequestStats();
  for (let pass = 0; pass < PASSES_PER_HOUR; pass++) await server.unwind.reconcile();
  const stats = sandbox.requestStats();
  process.stdout.write(`idle: ${size} repos, ${stats.counted} counted requests/h, ${stats.notModified} conditional (304) requests/h\n`);
  if (process.env.UNWIND_BENCH_ROUTES) for (const [route, c] of Object.entries(stats.byRoute)) process.stdout.write(`  ${route}: ${c.counted} counted, ${c.notModified} 304\n`);
  await server.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
