import type { Command } from 'commander';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startUnwindServer } from '../../app/start-server.ts';
import { readDashboardEnv } from '../../app/sign-in/dashboard-settings.ts';
import { DEFAULT_PORT, DEFAULT_RECONCILE_MS, readServeEnv } from '../read-serve-env.ts';
import type { ServeEnvFiles } from '../read-serve-env.ts';
import { portNumber } from '../parse-number.ts';

const ENVIRONMENT = `
Environment (Probot's conventions, plus Unwind's own):
  APP_ID                 the GitHub App's id (a positive integer)
  PRIVATE_KEY            the App's private key (PEM; \\n escapes or base64 accepted), or
  PRIVATE_KEY_PATH       the path of its .pem file
  WEBHOOK_SECRET         the App's webhook secret
  GITHUB_BASE_URL        GitHub's REST API, an http(s) URL (default: https://api.github.com), or
  GHE_HOST, GHE_PROTOCOL GitHub Enterprise Server host and protocol (https or http): <protocol>://<host>/api/v3
  PORT                   port on 127.0.0.1 (default: ${DEFAULT_PORT}; --port wins)
  LOG_LEVEL              trace, debug, info (default), warn, error or fatal
  UNWIND_WORK_DIR        an existing writable directory for revert branches (default: the system temp directory)
  UNWIND_POLL_MS         milliseconds between the polls of a rollback waiting for checks or merges (default: 15000)
  UNWIND_RECONCILE_MS    milliseconds between runs of the reconciler, which resumes unfinished rollbacks (default: ${DEFAULT_RECONCILE_MS})
  UNWIND_REPLICA_ID      this replica's id among several, stable across its restarts (default: <host name>:<port>)
  UNWIND_LEASE_MS        how long a replica holds a running rollback without renewing its lease (default: 30000)
  UNWIND_STATE_KEYS      state-signing keys, kid=base64-secret (see SECURITY.md)
  UNWIND_PACING          on (default) or off: pace requests by GitHub's published secondary limits; off only against the embedded sandbox
  REDIS_URL              redis://[:password@]host:port: every replica shares one pacing budget through this Redis (default: none, this process alone)
  UNWIND_DASHBOARD_AUTH  on (default): /rollbacks behind GitHub sign-in; off: open to anyone who reaches the port
  GITHUB_CLIENT_ID, GITHUB_CLIENT_SECRET  the App's OAuth client credentials, for that sign-in
  UNWIND_PUBLIC_URL      the URL people reach Unwind at, for the sign-in callback (default: http://<Host header>)
Every variable is checked before the server starts; a wrong one stops it with a message naming it.`;

/** The real file system, for readServeEnv. */
const files: ServeEnvFiles = {
  readText: (path) => readFileSync(path, 'utf8'),
  unwritableDir(path) {
    try {
      if (!statSync(path).isDirectory()) return 'is not a directory';
      accessSync(path, constants.W_OK);
      return null;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'is not writable' : `cannot be used (${code ?? String(err)})`;
    }
  },
  defaultWorkDir: tmpdir(),
};

/** `unwind serve`: run the GitHub App (Probot HTTP server), configured by the environment. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Run Unwind as a GitHub App server (Probot environment variables: APP_ID, PRIVATE_KEY[_PATH], WEBHOOK_SECRET, GHE_HOST, PORT, …)')
    .option('--port <port>', `port on 127.0.0.1 (default: $PORT or ${DEFAULT_PORT})`, portNumber)
    .addHelpText('after', ENVIRONMENT)
    .action(async (opts: { port?: number }) => {
      const env = readServeEnv(process.env, opts, files);
      if (!env.ok) {
        process.stderr.write(`unwind serve: not started, the configuration has ${env.problems.length} problem(s):\n${env.problems.map((p) => `  - ${p}\n`).join('')}`);
        process.exitCode = 1;
        return;
      }
      const { config } = env;
      const dashboard = readDashboardEnv(process.env, config.baseUrl);
      const server = await startUnwindServer({ ...config, ...(dashboard.ok ? { dashboard: dashboard.settings } : {}) });
      process.stdout.write(`Unwind listening on ${server.url}; webhooks at ${server.webhookUrl}; GitHub API ${config.baseUrl}\n`);
      // Set up: its identity read, its first reconciliation pass done (rollbacks resumed, orgs' maps read).
      void server.unwind.ready.then(() => process.stdout.write('Unwind ready\n'));
      const stop = (): void => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
