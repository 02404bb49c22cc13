/**
 * Benchmark: a 12-repo / 4-wave rollback on the sandbox, driven through the real Probot server.
 * Prints REST writes per reverted repo, bytes fetched per revert against a full clone (one repo has
 * 5,000 commits), and wall time against a floor of CI time plus GitHub's write pacing.
 *
 *   npx tsx bench/rollback.ts [--throttle]
 *
 * Without --throttle, Octokit's write pacing is off and the floor is the CI time alone; with it,
 * Probot paces writes as on GitHub (1 s between writes, 3 s for notification-triggering ones).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUnwindServer } from '../src/app/start-server.ts';
import { mergeChangeSet, ONCALL, seedOrg, type ServiceSpec } from '../src/demo/seed-org.ts';
import { parseTrackingState } from '../src/execution/tracking-issue.ts';
import { BareRepo } from '../src/sandbox/git/bare-repo.ts';
import { startSandbox } from '../src/sandbox/index.ts';

const throttle = process.argv.includes('--throttle');
const ORG = 'bench';
const WAVES = 4;
const PER_WAVE = 3;
const CI_MS = 500;
const HISTORY = 5_000;

const dir = mkdtempSync(join(tmpdir(), 'unwind-bench-'));
const sandbox = await startSandbox({ dir: join(dir, 'sandbox'), port: 0, strict: false });
const writes: Array<{ method: string; path: string }> = [];
const countingFetch: typeof fetch = async (input, init) => {
  const method = (init?.method ?? 'GET').toUpperCase();
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (method !== 'GET' && method !== 'HEAD') writes.push({ method, path: url.pathname });
  return fetch(input, init);
};
const server = await startUnwindServer({ appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, webhookSecret: sandbox.app.webhookSecret, baseUrl: sandbox.baseUrl, workRoot: dir, pollMs: 100, throttle, logLevel: 'fatal', fetch: countingFetch });
sandbox.setWebhookUrl(server.webhookUrl);

// Layer 0 is rolled back first (it depends on layer 1, …); layer 3 holds the target.
const name = (layer: number, i: number): string => `s${layer}${String.fromCharCode(97 + i)}`;
const services: ServiceSpec[] = [];
for (let layer = 0; layer < WAVES; layer++)
  for (let i = 0; i < PER_WAVE; i++) services.push({ name: name(layer, i), repo: `${ORG}/${name(layer, i)}`, dependsOn: layer + 1 < WAVES ? [name(layer + 1, i)] : [], waitFor: ['ci'] });
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
await server.unwind.ready;
const incident = await sandbox.driver.createIssue(ONCALL, ORG, '.github', { title: 'Checkout is down' });
writes.length = 0;
const t0 = Date.now();
await sandbox.driver.comment(ONCALL, ORG, '.github', incident, `/rollback ${targets.join(' ')} --reason "bench"`);
let state = null;
for (let i = 0; i < 6000; i++) {
  await sandbox.idle();
  await server.unwind.idle();
  const body = sandbox.driver.getIssue(ORG, '.github', incident + 1)?.body;
  state = body ? parseTrackingState(body) : null;
  if (state && state.status !== 'running') break;
  await new Promise((r) => setTimeout(r, 50));
}
const wallMs = Date.now() - t0;
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
// The floor: CI time per wave, plus (with GitHub's pacing) the writes no rollback can avoid: one PR
// create and one merge per reverted repo, both notification-triggering writes that Octokit paces
// 3 s apart per installation client.
const ciFloor = WAVES * CI_MS;
const pacingFloor = throttle ? reverted.length * 2 * 3000 : 0;
const floor = ciFloor + pacingFloor;

console.log(`12-repo / ${WAVES}-wave rollback (${state.steps.length} steps, throttle ${throttle ? 'on' : 'off'})`);
console.log(`  REST writes in reverted repos:  ${repoWrites.length} (${(repoWrites.length / reverted.length).toFixed(2)} per reverted repo; goal <= 3)`);
console.log(`  ledger/tracking writes:         ${trackingWrites.length} (${(trackingWrites.length / reverted.length).toFixed(2)} per reverted repo)`);
console.log(`  token requests:                 ${tokenWrites.length}`);
console.log(`  all REST writes:                ${writes.length} (${(writes.length / reverted.length).toFixed(2)} per reverted repo)`);
console.log(`  bytes fetched, revert of ${bigRepo} (${HISTORY + 2} commits): ${bigStep.bytesFetched} vs full clone ${fullBytes} = ${((100 * (bigStep.bytesFetched ?? 0)) / fullBytes).toFixed(2)} % (goal <= 5 %)`);
console.log(`  bytes fetched per revert, all repos: ${state.steps.map((s) => s.bytesFetched).join(', ')}`);
console.log(`  wall time: ${wallMs} ms; per wave: ${waveMs.join(', ')} ms`);
console.log(`  floor (CI ${ciFloor} ms${throttle ? ` + pacing of ${reverted.length * 2} unavoidable writes ${pacingFloor} ms` : ''}): ${floor} ms; ratio ${(wallMs / floor).toFixed(2)}x (goal <= 1.2x)`);
const ms = (a: string | null, b: string | null): number => (a && b ? Date.parse(b) - Date.parse(a) : NaN);
console.log('  per step (ms): start→PR open, PR open→merged, merged→verified');
for (const st of state.steps) console.log(`    wave ${st.wave + 1} ${st.repo.padEnd(10)} ${ms(st.startedAt, st.prOpenedAt)}  ${ms(st.prOpenedAt, st.mergedAt)}  ${ms(st.mergedAt, st.verifiedAt)}`);
await server.close();
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
