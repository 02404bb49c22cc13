import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startUnwindServer } from '../../app/start-server.ts';
import { DEFAULT_BASE_URL } from '../../github/create-octokit.ts';

/**
 * `unwind serve`: run the GitHub App (Probot HTTP server) with Probot's environment conventions:
 * APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST + GHE_PROTOCOL (GitHub Enterprise
 * or the sandbox) or GITHUB_BASE_URL, PORT, LOG_LEVEL, UNWIND_WORK_DIR.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Run Unwind as a GitHub App server (Probot environment variables: APP_ID, PRIVATE_KEY[_PATH], WEBHOOK_SECRET, GHE_HOST, PORT, …)')
    .option('--port <port>', 'port on 127.0.0.1 (default: $PORT or 3000)')
    .action(async (opts: { port?: string }) => {
      const env = process.env;
      const missing = ['APP_ID', 'WEBHOOK_SECRET'].filter((k) => !env[k]);
      if (!env.PRIVATE_KEY && !env.PRIVATE_KEY_PATH) missing.push('PRIVATE_KEY or PRIVATE_KEY_PATH');
      if (missing.length) throw new Error(`missing environment: ${missing.join(', ')}`);
      const privateKey = env.PRIVATE_KEY ?? readFileSync(env.PRIVATE_KEY_PATH as string, 'utf8');
      const baseUrl = env.GITHUB_BASE_URL ?? (env.GHE_HOST ? `${env.GHE_PROTOCOL ?? 'https'}://${env.GHE_HOST}/api/v3` : DEFAULT_BASE_URL);
      const server = await startUnwindServer({
        appId: Number(env.APP_ID),
        privateKey,
        webhookSecret: env.WEBHOOK_SECRET as string,
        baseUrl,
        port: Number(opts.port ?? env.PORT ?? 3000),
        workRoot: env.UNWIND_WORK_DIR ?? tmpdir(),
        reconcileMs: 5 * 60_000,
        logLevel: (env.LOG_LEVEL as 'info' | undefined) ?? 'info',
      });
      process.stdout.write(`Unwind listening on ${server.url}; webhooks at ${server.webhookUrl}; GitHub API ${baseUrl}\n`);
      const stop = (): void => void server.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
