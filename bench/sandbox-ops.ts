// The sandbox's answer time per operation Unwind leans on: contents PUT, create PR, merge, commit GET and
// GraphQL revertPullRequest, p50 over rounds, with the git subprocesses each costs (the request and the
// background work it starts: webhooks, CI, mergeability, counted until the sandbox is idle).
// Run: npx tsx bench/sandbox-ops.ts [--no-strict]   (BENCH_ROUNDS=12)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { startSandbox } from '../src/sandbox/index.ts';
import { gitSpawnCounts } from '../src/sandbox/git/run-git.ts';
import { REVERT_PULL_MUTATION } from '../src/github/graphql-revert.ts';

const strict = !process.argv.includes('--no-strict');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const root = mkdtempSync(join(tmpdir(), 'unwind-bench-ops-'));
const load = (): string => loadavg().map((n) => n.toFixed(2)).join(' ');

function spawnTotal(): number {
  return Object.values(gitSpawnCounts()).reduce((a, b) => a + b, 0);
}

const OPS = ['contents PUT', 'create PR', 'merge PR', 'commit GET', 'graphql revertPullRequest'] as const;
type Op = (typeof OPS)[number];
const times = new Map<Op, number[]>(OPS.map((o) => [o, []]));
const spawns = new Map<Op, number[]>(OPS.map((o) => [o, []]));

console.log(`load average at start: ${load()}  (strict=${strict}, rounds=${ROUNDS})`);
const sandbox = await startSandbox({ dir: join(root, 'state'), strict });

/** Times `fn` (the request alone), then waits for the sandbox to go idle and counts git spawns over both. */
async function measure<T>(op: Op, fn: () => Promise<T>): Promise<T> {
  await sandbox.idle();
  const s0 = spawnTotal();
  const t0 = performance.now();
  const out = await fn();
  times.get(op)!.push(performance.now() - t0);
  await sandbox.idle();
  spawns.get(op)!.push(spawnTotal() - s0);
  return out;
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * p))];
}

try {
  const d = sandbox.driver;
  await d.createOrg('acme');
  await d.createUser('alice');
  const files: Record<string, string> = { 'README.md': '# web\n' };
  for (let i = 0; i < 20; i++) files[`src/module${i}.ts`] = Array.from({ length: 40 }, (_, n) => `export const v${n} = ${n};`).join('\n') + '\n';
  await d.createRepo('acme', 'web', { files });
  const inst = await d.installApp('acme');
  await d.setCI('acme', 'web', [{ name: 'ci', result: 'success', delayMs: 0 }]);
  await sandbox.idle();
  const octo = new Octokit({ baseUrl: sandbox.baseUrl, authStrategy: createAppAuth, auth: { appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, installationId: inst } });
  const o = { owner: 'acme', repo: 'web' };
  await octo.rest.repos.get(o); // the installation token and the contract checker's first compiles, not measured

  for (let i = 0; i < ROUNDS; i++) {
    const branch = `feature-${i}`;
    const main = (await octo.rest.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha;
    await octo.rest.git.createRef({ ...o, ref: `refs/heads/${branch}`, sha: main });
    const path = `src/module${i % 20}.ts`;
    const current = await octo.rest.repos.getContent({ ...o, path, ref: branch });
    const sha = (current.data as { sha: string }).sha;
    await measure('contents PUT', () =>
      octo.rest.repos.createOrUpdateFileContents({ ...o, path, branch, sha, message: `change ${i}`, content: Buffer.from(`export const round = ${i};\n`).toString('base64') }),
    );
    const pr = await measure('create PR', () => octo.rest.pulls.create({ ...o, head: branch, base: 'main', title: `Change ${i}` }));
    const merged = await measure('merge PR', () => octo.rest.pulls.merge({ ...o, pull_number: pr.data.number }));
    await measure('commit GET', () => octo.rest.repos.getCommit({ ...o, ref: merged.data.sha }));
    const revert = await measure('graphql revertPullRequest', () =>
      octo.graphql<{ revertPullRequest: { revertPullRequest: { number: number } } }>(REVERT_PULL_MUTATION, {
        id: pr.data.node_id,
        title: `Revert change ${i}`,
        body: 'bench',
        draft: false,
      }),
    );
    // Closed so that the open PRs (each recomputed on every push to main) stay the same from round to round.
    await octo.rest.pulls.update({ ...o, pull_number: revert.revertPullRequest.revertPullRequest.number, state: 'closed' });
  }
  await sandbox.idle();
  console.log(`${'operation'.padEnd(28)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'min ms'.padStart(8)} ${'git spawns p50'.padStart(15)}`);
  for (const op of OPS) {
    const t = times.get(op)!;
    console.log(
      `${op.padEnd(28)} ${pct(t, 0.5).toFixed(0).padStart(8)} ${pct(t, 0.9).toFixed(0).padStart(8)} ${Math.min(...t).toFixed(0).padStart(8)} ${String(pct(spawns.get(op)!, 0.5)).padStart(15)}`,
    );
  }
  console.log(`git spawns by subcommand: ${JSON.stringify(gitSpawnCounts())}`);
  console.log(`contract violations: ${sandbox.violations().length}`);
  console.log(`load average at end: ${load()}`);
} finally {
  await sandbox.close();
  rmSync(root, { recursive: true, force: true });
}
