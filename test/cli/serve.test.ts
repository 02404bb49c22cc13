import { hostname } from 'node:os';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { register } from '../../src/cli/commands/serve.ts';
import { DEFAULT_RECONCILE_MS, readServeEnv } from '../../src/cli/read-serve-env.ts';
import type { ServeEnvFiles } from '../../src/cli/read-serve-env.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const EC_PEM = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A file system with one key file and one writable directory. */
const files: ServeEnvFiles = {
  readText(path) {
    if (path === '/keys/app.pem') return PEM;
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  },
  unwritableDir: (path) => (path === '/work' || path === '/tmp' ? null : path === '/readonly' ? 'is not writable' : 'does not exist'),
  defaultWorkDir: '/tmp',
};

const good = { APP_ID: '42', PRIVATE_KEY: PEM, WEBHOOK_SECRET: 's3cret' };

describe('readServeEnv', () => {
  it('reads a complete configuration, with defaults for what is unset', () => {
    expect(readServeEnv(good, {}, files)).toEqual({
      ok: true,
      config: { appId: 42, privateKey: PEM, webhookSecret: 's3cret', baseUrl: 'https://api.github.com', port: 3000, workRoot: '/tmp', reconcileMs: DEFAULT_RECONCILE_MS, replica: { id: `${hostname()}:3000` }, logLevel: 'info', throttle: true },
    });
  });

  it('reads every setting', () => {
    const r = readServeEnv({
      APP_ID: '7', PRIVATE_KEY_PATH: '/keys/app.pem', WEBHOOK_SECRET: 'x', GHE_HOST: 'ghe.example.com:8443', GHE_PROTOCOL: 'http', PORT: '8080',
      UNWIND_WORK_DIR: '/work', UNWIND_POLL_MS: '500', UNWIND_RECONCILE_MS: '60000', LOG_LEVEL: 'debug', UNWIND_PACING: 'off', UNWIND_REPLICA_ID: 'blue-2', UNWIND_LEASE_MS: '9000',
    }, {}, files);
    expect(r).toEqual({ ok: true, config: { appId: 7, privateKey: PEM, webhookSecret: 'x', baseUrl: 'http://ghe.example.com:8443/api/v3', port: 8080, workRoot: '/work', pollMs: 500, reconcileMs: 60_000, replica: { id: 'blue-2', leaseMs: 9000 }, logLevel: 'debug', throttle: false } });
    // --port wins over PORT; a key with `\n` escapes (as in .env files) or in base64 is read as Probot reads it.
    expect(readServeEnv({ ...good, PORT: 'nonsense' }, { port: 0 }, files)).toMatchObject({ ok: true, config: { port: 0 } });
    expect(readServeEnv({ ...good, PRIVATE_KEY: PEM.trim().replaceAll('\n', '\\n') }, {}, files)).toMatchObject({ ok: true, config: { privateKey: PEM.trim() } });
    expect(readServeEnv({ ...good, PRIVATE_KEY: Buffer.from(PEM).toString('base64') }, {}, files)).toMatchObject({ ok: true });
    expect(readServeEnv({ ...good, GITHUB_BASE_URL: 'http://127.0.0.1:9000/api/v3/' }, {}, files)).toMatchObject({ ok: true, config: { baseUrl: 'http://127.0.0.1:9000/api/v3' } });
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    ['UNWIND_REPLICA_ID with a space', { UNWIND_REPLICA_ID: 'a b' }, /^UNWIND_REPLICA_ID must be 1 to 200 printable ASCII characters/],
    ['UNWIND_LEASE_MS not a number', { UNWIND_LEASE_MS: 'long' }, /^UNWIND_LEASE_MS must be a positive integer/],
    ['APP_ID missing', { APP_ID: '' }, /^APP_ID is not set: set it to the GitHub App's numeric id/],
    ['APP_ID not a number', { APP_ID: 'abc' }, /^APP_ID must be a positive integer \(.*\), got "abc"$/],
    ['APP_ID zero', { APP_ID: '0' }, /^APP_ID must be a positive integer/],
    ['APP_ID negative', { APP_ID: '-3' }, /^APP_ID must be a positive integer/],
    ['APP_ID fractional', { APP_ID: '4.2' }, /^APP_ID must be a positive integer/],
    ['PRIVATE_KEY not a key', { PRIVATE_KEY: 'not a key' }, /^PRIVATE_KEY is not a usable private key \(.*\): use the whole \.pem file/],
    ['PRIVATE_KEY half a key', { PRIVATE_KEY: PEM.slice(0, PEM.length / 2) }, /^PRIVATE_KEY is not a usable private key/],
    ['PRIVATE_KEY not RSA', { PRIVATE_KEY: EC_PEM }, /^PRIVATE_KEY is not a usable private key \(it is a ec key, GitHub Apps sign with RSA\)/],
    ['no key at all', { PRIVATE_KEY: '' }, /^PRIVATE_KEY or PRIVATE_KEY_PATH is not set/],
    ['PRIVATE_KEY_PATH missing file', { PRIVATE_KEY: '', PRIVATE_KEY_PATH: '/keys/nope.pem' }, /^PRIVATE_KEY_PATH "\/keys\/nope\.pem" cannot be read \(ENOENT\)/],
    ['WEBHOOK_SECRET missing', { WEBHOOK_SECRET: ' ' }, /^WEBHOOK_SECRET is not set/],
    ['GITHUB_BASE_URL not a URL', { GITHUB_BASE_URL: 'not a url' }, /^GITHUB_BASE_URL must be an http\(s\) URL .*, got "not a url"$/],
    ['GITHUB_BASE_URL not http', { GITHUB_BASE_URL: 'ftp://example.com/api' }, /^GITHUB_BASE_URL must be an http\(s\) URL/],
    ['GHE_HOST with a path', { GHE_HOST: 'ghe.example.com/api' }, /^GHE_HOST must be a host name/],
    ['GHE_PROTOCOL unknown', { GHE_HOST: 'ghe.example.com', GHE_PROTOCOL: 'gopher' }, /^GHE_PROTOCOL must be https or http, got "gopher"$/],
    ['PORT not a number', { PORT: 'http' }, /^PORT must be a TCP port \(0-65535; 0: any free port\), got "http"$/],
    ['PORT too big', { PORT: '70000' }, /^PORT must be a TCP port/],
    ['UNWIND_WORK_DIR missing', { UNWIND_WORK_DIR: '/gone' }, /^UNWIND_WORK_DIR "\/gone" does not exist: point it at an existing directory/],
    ['UNWIND_WORK_DIR read-only', { UNWIND_WORK_DIR: '/readonly' }, /^UNWIND_WORK_DIR "\/readonly" is not writable/],
    ['UNWIND_POLL_MS not a number', { UNWIND_POLL_MS: 'often' }, /^UNWIND_POLL_MS must be a positive integer \(milliseconds .*\), got "often"$/],
    ['UNWIND_POLL_MS zero', { UNWIND_POLL_MS: '0' }, /^UNWIND_POLL_MS must be a positive integer/],
    ['UNWIND_RECONCILE_MS negative', { UNWIND_RECONCILE_MS: '-1' }, /^UNWIND_RECONCILE_MS must be a positive integer \(milliseconds .*\), got "-1"$/],
    ['LOG_LEVEL unknown', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, got "loud"$/],
    ['UNWIND_PACING unknown', { UNWIND_PACING: 'slow' }, /^UNWIND_PACING must be on or off, got "slow"$/],
    ['UNWIND_STATE_KEYS malformed', { UNWIND_STATE_KEYS: 'just-a-secret' }, /^UNWIND_STATE_KEYS entry 1 must be "kid=base64-secret"/],
  ];
  it.each(bad)('refuses %s, naming the variable', (_, vars, message) => {
    const r = readServeEnv({ ...good, ...vars }, {}, files);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(message);
    expect(r.problems[0]).not.toContain(PEM.split('\n')[1]); // a key is never echoed
  });

  it('reports every problem at once', () => {
    const r = readServeEnv({ APP_ID: 'abc', PRIVATE_KEY: 'not a key', GITHUB_BASE_URL: 'not a url' }, {}, files);
    expect(r.ok ? [] : r.problems.map((p) => p.split(' ')[0])).toEqual(['APP_ID', 'WEBHOOK_SECRET', 'PRIVATE_KEY', 'GITHUB_BASE_URL']);
  });
});

describe('unwind serve', () => {
  it('refuses to start with a bad variable: exits 1 naming it, and never listens', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', APP_ID: '42', PRIVATE_KEY: 'not a key', WEBHOOK_SECRET: 'x', PORT: '0' };
    const out = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { cwd: ROOT, env, timeout: 60_000 }).then(
      (r) => ({ code: 0, ...r }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^unwind serve: not started, the configuration has 1 problem\(s\):\n {2}- PRIVATE_KEY is not a usable private key/);
    expect(out.stdout).not.toMatch(/listening/);
  });

  it('documents its settings in --help', () => {
    const program = new Command('unwind');
    register(program);
    const serve = program.commands.find((c) => c.name() === 'serve')!;
    let help = '';
    serve.configureOutput({ writeOut: (text) => void (help += text) });
    serve.outputHelp();
    expect(help).toContain('--port <port>');
    for (const name of ['APP_ID', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET', 'GITHUB_BASE_URL', 'UNWIND_WORK_DIR', 'UNWIND_POLL_MS', 'UNWIND_RECONCILE_MS']) expect(help).toContain(`  ${name} `);
  });
});
