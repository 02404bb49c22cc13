// Sandbox throughput: mixed REST workload with Octokit, and clone/push of a 1,000-commit repository.
// Run: npx tsx bench/sandbox.ts [--no-strict]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { startSandbox } from '../src/sandbox/index.ts';

const strict = !process.argv.includes('--no-strict');
const root = mkdtempSync(join(tmpdir(), 'unwind-bench-sandbox-'));

function env(): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) out[k] = v;
  return { ...out, GIT_TERMINAL_PROMPT: '0' };
}

function git(args: string[], cwd: string, input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args], { cwd, env: env() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`git ${args[0]} failed: ${err}`))));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

async function time<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  console.log(`${label.padEnd(50)} ${(performance.now() - t0).toFixed(0).padStart(7)} ms`);
  return out;
}

const sandbox = await time(`start sandbox (strict=${strict})`, () => startSandbox({ dir: join(root, 'state'), strict }));
try {
  const d = sandbox.driver;
  await d.createOrg('acme');
  await d.createUser('alice');
  await d.createRepo('acme', 'web');
  await d.createRepo('acme', 'big');
  const inst = await d.installApp('acme');
  for (let i = 0; i < 5; i++) {
    await d.commit('acme', 'web', { branch: `b${i}`, files: { [`f${i}.txt`]: `${i}\n` }, message: `change ${i}`, author: 'alice' });
    await d.openPull('alice', 'acme', 'web', { head: `b${i}`, title: `PR ${i}` });
  }
  const issue = await d.createIssue('alice', 'acme', 'web', { title: 'bench' });
  await sandbox.idle();
  const octo = new Octokit({ baseUrl: sandbox.baseUrl, authStrategy: createAppAuth, auth: { appId: sandbox.app.id, privateKey: sandbox.app.privateKeyPem, installationId: inst } });
  const o = { owner: 'acme', repo: 'web' };
  await octo.rest.repos.get(o);

  const ops: Array<() => Promise<unknown>> = [
    () => octo.rest.repos.get(o),
    () => octo.rest.pulls.list({ ...o, state: 'all' }),
    () => octo.rest.pulls.get({ ...o, pull_number: 1 + Math.floor(Math.random() * 5) }),
    () => octo.rest.issues.createComment({ ...o, issue_number: issue, body: 'bench comment' }),
    () => octo.rest.issues.listComments({ ...o, issue_number: issue, per_page: 30 }),
    () => octo.rest.repos.getContent({ ...o, path: 'README.md' }),
  ];
  const total = 600;
  const concurrency = 4;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        await ops[i % ops.length]();
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  console.log(`${'mixed REST workload (6 ops, 4 concurrent)'.padEnd(50)} ${(total / secs).toFixed(0).padStart(7)} req/s  (${total} requests in ${secs.toFixed(2)} s)`);
  await sandbox.idle();

  // 1,000-commit repository: build locally with fast-import, push, then clone fresh
  const { token } = (await (octo.auth as (o: unknown) => Promise<{ token: string }>)({ type: 'installation' }));
  const url = new URL(`${sandbox.baseUrl}/acme/big.git`);
  url.username = 'x-access-token';
  url.password = token;
  const work = join(root, 'work');
  await git(['clone', '--quiet', url.toString(), work], root);
  const base = (await git(['rev-parse', 'HEAD'], work)).trim();
  let stream = '';
  for (let i = 1; i <= 1000; i++) {
    const content = `line ${i}\n`;
    stream += `commit refs/heads/main\nmark :${i}\ncommitter Bench <bench@example.com> ${1700000000 + i} +0000\ndata ${`commit ${i}`.length}\ncommit ${i}\n`;
    stream += i === 1 ? `from ${base}\n` : `from :${i - 1}\n`;
    stream += `M 100644 inline file${i % 50}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
  }
  await git(['fast-import', '--quiet', '--force'], work, stream);
  await git(['reset', '--quiet', '--hard', 'main'], work);
  await time('push 1,000 commits', () => git(['push', '--quiet', 'origin', 'main'], work));
  await time('clone 1,001-commit repository', () => git(['clone', '--quiet', url.toString(), join(root, 'clone')], root));
  const count = (await git(['rev-list', '--count', 'HEAD'], join(root, 'clone'))).trim();
  console.log(`${'commits in the fresh clone'.padEnd(50)} ${count.padStart(7)}`);
  await time('wait for push webhook + CI bookkeeping (idle)', () => sandbox.idle());
  const v = sandbox.violations();
  console.log(`${'contract violations'.padEnd(50)} ${String(v.length).padStart(7)}`);
} finally {
  await sandbox.close();
  rmSync(root, { recursive: true, force: true });
}
