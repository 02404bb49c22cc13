/**
 * Benchmark: a 12-repo / 4-wave rollback on the sandbox, driven through the real Probot server.
 * Prints REST writes per reverted repo, bytes fetched per revert against a full clone (one repo has
 * 5,000 commits), and wall time against a floor.
 *
 *   npx tsx bench/rollback.ts [--throttle | --realistic]
 *
 * Without a flag, pacing is off, CI takes 500 ms a wave, and the floor is the CI time alone. With
 * --throttle, Unwind paces by GitHub's published secondary limits (src/github/pacing) against a sandbox
 * that does not enforce them. With --realistic, the sandbox enforces those limits and adds 100 ms of
 * latency to every request, CI takes 2 s a wave, Unwind paces by the limits, and the bench also measures
 * the time from the `/rollback` comment to the first revert PR being open, over 10 one-repo rollbacks run
 * one after the other (ten repositories of one more org).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUnwindServer } from '../src/app/start-server.ts';
import { mergeChangeSet, ONCALL, seedOrg, type ServiceSpec } from '../src/demo/seed-org.ts';
import { parseTrackingState, STATE_TAG } from '../src/execution/tracking-issue.ts';
import { parseHidden } from '../src/ledger/hidden-json.ts';
import { BareRepo } from '../src/sandbox/git/bare-repo.ts';
import { startSandbox } from '../src/sandbox/index.ts';
import { PUBLISHED_LIMITS, useRealisticLimits } from '../src/sandbox/http/secondary-limits.ts';
import { leastTimeForWrites } from '../src/github/pacing/least-time.ts';
import { revertViaFromEnv } from '../src/execution/revert-by-github.ts';
import { freePort, startServe } from '../test/e2e/support/serve-process.ts';

const realistic = process.argv.includes('--realistic');
/**
 * Realistic mode runs Unwind as users do, as its own `unwind serve` process (started once the org is seeded): the
 * sandbox (GitHub's side) then does not share a thread with it. BENCH_UNWIND=in-process keeps it in this process
 * (as the other modes do, which count Unwind's requests and bytes from inside).
 */
const separate = realistic && process.env.BENCH_UNWIND !== 'in-process';
const throttle = realistic || process.argv.includes('--throttle');
const ORG = 'bench';
const WAVES = 4;
const PER_WAVE = 3;
const CI_MS = realistic ? 2_000 : 500;
const LATENCY_MS = realistic ? 100 : 0;
const HISTORY = Number(process.env.BENCH_HISTORY ?? 5_000);
const FIRST_PR_RUNS = Number(process.env.BENCH_FIRST_PR_RUNS ?? 10);
/**
 * Unwind's fallback poll period, as `unwind serve` has it (UNWIND_POLL_MS, default 15 s): webhooks must move
 * every wait on, so a missed wake-up shows as a stall here instead of being hidden by fast polling.
 */
const POLL_MS = Number(process.env.UNWIND_POLL_MS ?? 15_000);
/** BENCH_TRACE=file: every request Unwind sends, with its start (ms after the `/rollback` comment), duration and answer. */
const TRACE = process.env.BENCH_TRACE ?? null;
const trace: string[] = [];
let traceT0 = performance.now();
/** Time spent in requests to the org registry's file (`unwind/registry.json`), summed. */
let registryRequestMs = 0;

const dir = mkdtempSync(join(tmpdir(), 'unwind-bench-'));
const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: false });
const limits = realistic ? useRealisticLimits(sandbox, { latencyMs: LATENCY_MS }) : null;
const writes: Array<{ method: string; path: string }> = [];
const answerMs: number[] = [];
const countingFetch: typeof fetch = async (input, init) => {
  const method = (init?.method ?? 'GET').toUpperCase();
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (method !== 'GET' && method !== 'HEAD') writes.push({ method, path: url.pathname });
  const t = performance.now();
  let status = 0;
  try {
    const res = await fetch(input, init);
    status = res.status;
    return res;
  } finally {
    answerMs.push(performance.now() - t);
    if (url.pathname.includes('registry.json')) registryRequestMs += performance.now() - t;
    if (TRACE) trace.push(`${(t - traceT0).toFixed(0).padStart(7)} +${(performance.now() - t).toFixed(0).padStart(5)} ${status} ${method} ${url.pathname}${url.search}`);
  }
};
const server = separate ? null : await startUnwindServer({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, webhookSecret: sandbox.app.webhookSecret, baseUrl: sandbox.baseUrl, workRoot: dir, pollMs: POLL_MS, throttle,
  // One process: a lease long enough that a loaded machine cannot make it lapse (leases are the replicas' concern, not measured here).
  replica: { leaseMs: 600_000 },
  logLevel: (process.env.BENCH_LOG_LEVEL as 'fatal' | undefined) ?? 'fatal', fetch: countingFetch });
if (server) sandbox.setWebhookUrl(server.webhookUrl);
// With Unwind in its own process, what it sends is seen where it arrives (the sandbox's request hook).
const arrivals: Array<{ at: number; method: string; path: string }> = [];
if (separate) sandbox.onRequest((r) => void arrivals.push({ at: performance.now(), method: r.method, path: r.path }));

// Layer 0 is rolled back first (it depends on layer 1, …); layer 3 holds the target.
const name = (layer: number, i: number): string => `s${layer}${String.fromCharCode(97 + i)}`;
const services: ServiceSpec[] = [];
for (let layer = 0; layer < WAVES; layer++)
  for (let i = 0; i < PER_WAVE; i++) services.push({ name: name(layer, i), repo: `${ORG}/${name(layer, i)}`, dependsOn: layer + 1 < WAVES ? [name(layer + 1, i)] : [], waitFor: ['ci'] });
const progress = (what: string): boolean => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${what}\n`);
progress('seeding 12 repositories');
await seedOrg(sandbox.driver, { org: ORG, services, ci: [{ name: 'ci', result: 'success', delayMs: CI_MS }] });

// One repo gets a 5,000-commit history before the change, to measure partial, shallow fetches.
const bigRepo = name(WAVES - 1, 0);
const big = BareRepo.open(sandbox.driver.repoPath(ORG, bigRepo));
const history = Array.from({ length: HISTORY }, (_, k) => ({ files: { [`history/f${k % 250}.txt`]: `line ${k}\n`.repeat(20) }, message: `history ${k}`, author: { name: 'Dev', email: 'dev@example.com' } }));
await big.appendCommits({ branch: 'main', commits: history });

// A change set: every layer-3 PR is a target's sibling; each PR of layer L depends on layer L+1's PR.
const changes = [];
for (let layer = WAVES - 1; layer >= 0; layer--)
  for (let i = 0; i < PER_WAVE; i++)
    changes.push({ repo: `${ORG}/${name(layer, i)}`, branch: 'change', title: `Change ${name(layer, i)}`, files: { 'src/app.txt': `${name(layer, i)} v2\n` }, dependsOn: layer === WAVES - 1 ? [] : [(WAVES - 2 - layer) * PER_WAVE + i] });
const merged = await mergeChangeSet(sandbox.driver, ORG, changes);
const targets = merged.slice(0, PER_WAVE).map((m) => `${m.repo}#${m.number}`);
// The seeding's own CI (its pushes and merges) finishes before the incident.
await sandbox.idle();
// A replica that has been running since the app was installed: one reconciliation pass (every UNWIND_RECONCILE_MS)
// has met the org and read its map, as a running replica has (src/config/known-maps.ts). `unwind serve` is ready
// once its first pass is done.
const serve = separate
  ? await startServe({ sandbox, port: await freePort(), workDir: mkdtempSync(join(dir, 'serve-')), until: 'ready',
      env: { LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'fatal', UNWIND_POLL_MS: String(POLL_MS), UNWIND_PACING: 'on', UNWIND_LEASE_MS: '600000', UNWIND_RECONCILE_MS: '600000', ...(process.env.UNWIND_REVERT_VIA ? { UNWIND_REVERT_VIA: process.env.UNWIND_REVERT_VIA } : {}) } })
  : null;
if (server) {
  await server.unwind.ready;
  await server.unwind.reconcile();
}
/** Waits until Unwind has nothing left to do (in its own process: the sandbox idle, which includes its webhooks' answers). */
const unwindIdle = async (): Promise<void> => {
  await sandbox.idle();
  await server?.unwind.idle();
};
const incident = await sandbox.driver.createIssue(ONCALL, ORG, '.github', { title: 'Checkout is down' });
writes.length = 0;
answerMs.length = 0;
arrivals.length = 0;
progress('rollback requested');
const t0 = Date.now();
traceT0 = performance.now();
trace.length = 0;
await sandbox.driver.comment(ONCALL, ORG, '.github', incident, `/rollback ${targets.join(' ')} --reason "bench"`);
// The end is when the tracking issue says the rollback ended: its body is looked at every 10 ms (not after the
// sandbox goes idle, which waits for the CI that the last merges start on the default branches). Only the state's
// status is read meanwhile: the bench shares the thread of the sandbox (GitHub's side), and checking the whole
// state against its schema at every change held that thread for up to 40 ms at a wave's critical moment.
let body: string | null = null;
for (let i = 0; i < 60_000; i++) {
  body = trackingBody(incident + 1);
  const status = body === null ? null : (parseHidden(STATE_TAG, body) as { status?: unknown } | null)?.status;
  if (typeof status === 'string' && status !== 'running') break;
  await new Promise((r) => setTimeout(r, 10));
}
const wallMs = Date.now() - t0;
const state = body === null ? null : parseTrackingState(body);
await unwindIdle();
if (separate) {
  for (const a of arrivals) if (a.method !== 'GET' && a.method !== 'HEAD') writes.push({ method: a.method, path: a.path });
  for (const a of arrivals) trace.push(`${(a.at - traceT0).toFixed(0).padStart(7)} (arrived) ${a.method} ${a.path}`);
}
if (TRACE) writeFileSync(TRACE, `---- 12-repo rollback (wall ${wallMs} ms)\n${trace.sort(byStart).join('\n')}\n`);
if (!state || state.status !== 'completed') throw new Error(`rollback did not complete: ${state?.status}`);

// Figures.
const reverted = state.steps.map((s) => s.repo);
const repoWrites = writes.filter((w) => reverted.some((r) => w.path.includes(`/repos/${r}/`)));
const trackingWrites = writes.filter((w) => w.path.includes(`/repos/${ORG}/.github/`));
const tokenWrites = writes.filter((w) => w.path.includes('/access_tokens'));
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
const token = (await sandbox.driver.createUser('bench-reader')).token;
await sandbox.driver.addCollaborator(ORG, bigRepo, 'bench-reader', 'read');
// Async: the sandbox serves this clone from the same process.
await promisify(execFile)('git', ['-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`, 'clone', '--quiet', '--bare', `${sandbox.baseUrl}/${ORG}/${bigRepo}.git`, join(dir, 'full.git')], { env });
const fullBytes = Number((await promisify(execFile)('du', ['-sb', join(dir, 'full.git', 'objects')])).stdout.split('\t')[0]);
const bigStep = state.steps.find((s) => s.repo === `${ORG}/${bigRepo}`)!;
const waveMs = state.timings.waves.map((w) => Date.parse(w.endedAt ?? '') - Date.parse(w.startedAt));
// The floor: CI time per wave, plus the least time GitHub's published secondary limits allow for the
// writes no rollback can avoid, plus, with latency, one round trip for each of those writes that must wait
// for the one before it. The writes (SPEC §4-6), in order:
//   before the first revert: the lock commit in the org's registry (one active rollback per repository),
//     the tracking issue, and the ledger's `requested` entry (the request and the policy's decision are
//     recorded before anything is done);
//   per wave: each repository's revert PR and its merge (the wave's repositories at once);
//   at the end: the `completed` entry and the tracking issue's state saying so (what the wall waits for).
// Content-generating among them (GitHub's limit of 80 a minute): the issue, the two entries, each PR and
// each merge; every write costs 5 points. The limits allow them all at once here, so they add no time.
const ciFloor = WAVES * CI_MS;
const sequentialWrites = { before: 3, perWave: 2, after: 2 };
const unavoidable = { content: 3 + reverted.length * 2, points: (3 + reverted.length * 2 + 2) * 5 };
const limitsFloor = throttle ? leastTimeForWrites(unavoidable, PUBLISHED_LIMITS) : 0;
const roundTrips = sequentialWrites.before + WAVES * sequentialWrites.perWave + sequentialWrites.after;
const latencyFloor = roundTrips * LATENCY_MS;
const floor = ciFloor + limitsFloor + latencyFloor;
// As the floor was first defined (only each wave's PR and merge counted): kept for comparison with earlier figures.
const wavesOnlyFloor = ciFloor + limitsFloor + WAVES * sequentialWrites.perWave * LATENCY_MS;

console.log(`12-repo / ${WAVES}-wave rollback (${state.steps.length} steps, ${realistic ? 'realistic: published secondary limits enforced, 100 ms latency, pacing by the limits' : throttle ? 'pacing by the published limits, not enforced' : 'pacing off'}; reverts made by ${revertViaFromEnv() === 'github' ? "GitHub's revertPullRequest (the default)" : 'git (UNWIND_REVERT_VIA=git)'})`);
console.log(`  REST writes in reverted repos:  ${repoWrites.length} (${(repoWrites.length / reverted.length).toFixed(2)} per reverted repo; goal <= 3)`);
console.log(`  ledger/tracking writes:         ${trackingWrites.length} (${(trackingWrites.length / reverted.length).toFixed(2)} per reverted repo)`);
console.log(`  token requests:                 ${tokenWrites.length}`);
console.log(`  all REST writes:                ${writes.length} (${(writes.length / reverted.length).toFixed(2)} per reverted repo)`);
if (bigStep.bytesFetched == null) console.log(`  bytes fetched, revert of ${bigRepo}: none (GitHub made the revert; a full clone is ${fullBytes})`);
else console.log(`  bytes fetched, revert of ${bigRepo} (${HISTORY + 2} commits): ${bigStep.bytesFetched} vs full clone ${fullBytes} = ${((100 * bigStep.bytesFetched) / fullBytes).toFixed(2)} % (goal <= 5 %)`);
console.log(`  bytes fetched per revert, all repos: ${state.steps.map((s) => s.bytesFetched ?? 0).join(', ')}`);
console.log(`  wall time: ${wallMs} ms; before wave 1 (plan, locks, policy, tracking issue, lease, first ledger entry): ${Date.parse(state.timings.waves[0]?.startedAt ?? '') - t0} ms; per wave: ${waveMs.join(', ')} ms`);
console.log(`  floor: CI ${WAVES} x ${CI_MS} ms${throttle ? ` + ${limitsFloor} ms that the published limits require for the unavoidable writes (lock commit, tracking issue, requested entry; a revert PR and a merge per reverted repo; completed entry and state: ${unavoidable.content} content-generating requests, ${unavoidable.points} points; 80 a minute, 500 an hour and 900 points a minute allow them at once)` : ''}${LATENCY_MS ? ` + ${roundTrips} of those writes one after another (${sequentialWrites.before} before wave 1, ${sequentialWrites.perWave} a wave, ${sequentialWrites.after} at the end) x ${LATENCY_MS} ms latency` : ''} = ${floor} ms; ratio ${(wallMs / floor).toFixed(2)}x`);
if (LATENCY_MS) console.log(`  floor as first defined (CI and each wave's PR and merge only): ${wavesOnlyFloor} ms; ratio ${(wallMs / wavesOnlyFloor).toFixed(2)}x`);
console.log(`  waits: woken by webhooks, fallback poll every ${POLL_MS} ms (UNWIND_POLL_MS)`);
if (!separate) console.log(`  REST answers as Unwind saw them: ${answerMs.length}, mean ${(answerMs.reduce((a, b) => a + b, 0) / Math.max(1, answerMs.length)).toFixed(0)} ms, p50 ${percentile(answerMs, 50).toFixed(0)} ms, p90 ${percentile(answerMs, 90).toFixed(0)} ms (latency ${LATENCY_MS} ms included)`);
const paced = server?.pacingStats();
if (separate) console.log(`  Unwind ran as its own \`unwind serve\` process (BENCH_UNWIND=in-process: in this one); requests it sent: ${arrivals.length}`);
if (paced?.pacer) console.log(`  pacing: waited ${JSON.stringify(paced.pacer.waits)}; rate-limit answers waited out ${paced.pacer.limitAnswers}; polls answered 304 ${paced.notModified}`);
const ms = (a: string | null, b: string | null): number => (a && b ? Date.parse(b) - Date.parse(a) : NaN);
console.log('  per step (ms): start→PR open, PR open→merged, merged→verified');
for (const st of state.steps) console.log(`    wave ${st.wave + 1} ${st.repo.padEnd(10)} ${ms(st.startedAt, st.prOpenedAt)}  ${ms(st.prOpenedAt, st.mergedAt)}  ${ms(st.mergedAt, st.verifiedAt)}`);
let firstPr: number[] = [];
if (realistic) {
  const answers = Object.values(limits!.answers()).reduce((a, b) => a + b, 0);
  progress(`rollback ${state.status} in ${wallMs} ms; measuring the first revert PR over ${FIRST_PR_RUNS} runs`);
  const measured = await measureFirstPrOpen();
  firstPr = measured.map((m) => m.prOpen);
  const all = Object.values(limits!.answers()).reduce((a, b) => a + b, 0);
  const stats = sandbox.requestStats();
  console.log(`  first revert PR open (ms), ${FIRST_PR_RUNS} one-repo rollbacks: ${firstPr.join(', ')}; secondary-limit answers during them ${all - answers}`);
  const p50 = (f: (m: FirstPrRun) => number): number => percentile(measured.map(f), 50);
  console.log(`  of which (p50): comment → tracking issue open (plan, locks, policy) ${p50((m) => m.trackingOpen)} ms; → revert PR open (tracking and lease in the registry, first ledger entry, the revert) ${p50((m) => m.prOpen - m.trackingOpen)} ms${separate ? '' : `; registry requests ${p50((m) => m.registryMs)} ms of request time`}`);
  console.log(`  sandbox REST requests in all: ${stats.total}, of which 304 Not Modified ${stats.notModified}`);
  console.log(`realistic: wall ${wallMs} ms, floor ${floor} ms, ratio ${(wallMs / floor).toFixed(2)}, secondary-limit answers ${answers}`);
  console.log(`first revert PR open: p50 ${percentile(firstPr, 50)} ms`);
}
await server?.close();
await serve?.stop();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });

/** The tracking issue's body, or null while Unwind has not opened it yet. */
function trackingBody(n: number): string | null {
  try {
    return sandbox.driver.getIssue(ORG, '.github', n).body;
  } catch {
    return null;
  }
}

interface FirstPrRun {
  /** From the `/rollback` comment to the revert PR being open, and to the tracking issue being open. */
  readonly prOpen: number;
  readonly trackingOpen: number;
  /** Time the requests to the org's registry file took, summed (they run one after another on this path). */
  readonly registryMs: number;
}

/**
 * Comment `/rollback` on a merged PR, one repository after another (ten independent repositories of one org,
 * seeded at once); time until its tracking issue and its revert PR are open on the sandbox. Each run
 * finishes before the next starts.
 */
async function measureFirstPrOpen(): Promise<FirstPrRun[]> {
  const org = 'first';
  const repos = Array.from({ length: FIRST_PR_RUNS }, (_, i) => `svc${i}`);
  await seedOrg(sandbox.driver, { org, services: repos.map((r) => ({ name: r, repo: `${org}/${r}`, waitFor: ['ci'] })), ci: [{ name: 'ci', result: 'success', delayMs: CI_MS }] });
  const merged = await mergeChangeSet(sandbox.driver, org, repos.map((r) => ({ repo: `${org}/${r}`, branch: 'change', title: `Change ${r}`, files: { 'src/app.txt': `${r} v2\n` } })));
  await unwindIdle();
  const out: FirstPrRun[] = [];
  for (const [i, repo] of repos.entries()) {
    const before = sandbox.driver.listPulls(org, repo).length;
    // Issues and PRs share one sequence: the tracking issue is the next number after the merged PR.
    const trackingNumber = merged[i]!.number + 1;
    const t = Date.now();
    traceT0 = performance.now();
    trace.length = 0;
    arrivals.length = 0;
    const registry0 = registryRequestMs;
    let trackingOpen = NaN;
    await sandbox.driver.comment(ONCALL, org, repo, merged[i]!.number, '/rollback --reason "bench"');
    while (sandbox.driver.listPulls(org, repo).length === before) {
      if (Number.isNaN(trackingOpen) && trackingBodyOf(org, repo, trackingNumber) !== null) trackingOpen = Date.now() - t;
      await new Promise((r) => setTimeout(r, 5));
    }
    const prOpen = Date.now() - t;
    if (separate) for (const a of arrivals) trace.push(`${(a.at - traceT0).toFixed(0).padStart(7)} (arrived) ${a.method} ${a.path}`);
    out.push({ prOpen, trackingOpen: Number.isNaN(trackingOpen) ? prOpen : trackingOpen, registryMs: Math.round(registryRequestMs - registry0) });
    if (TRACE) appendFileSync(TRACE, `---- first revert PR run ${i + 1}: open after ${prOpen} ms\n${trace.sort(byStart).join('\n')}\n`);
    progress(`first revert PR open, run ${i + 1}: ${prOpen} ms (tracking issue after ${out[i]!.trackingOpen} ms)`);
    // Let it finish (its revert merged) before the next run, so runs do not compete.
    const deadline = Date.now() + 300_000;
    for (;;) {
      await unwindIdle();
      const tracking = trackingBodyOf(org, repo, trackingNumber);
      const ended = tracking !== null && parseTrackingState(tracking)?.status !== 'running';
      if (ended && sandbox.driver.listPulls(org, repo).every((p) => p.merged)) break;
      if (Date.now() > deadline) throw new Error(`run ${i + 1}: the revert PR of ${org}/${repo} was not merged within 300 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return out;
}

function trackingBodyOf(org: string, repo: string, n: number): string | null {
  try {
    return sandbox.driver.getIssue(org, repo, n).body;
  } catch {
    return null;
  }
}

function byStart(a: string, b: string): number {
  return Number(a.slice(0, 7)) - Number(b.slice(0, 7));
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
