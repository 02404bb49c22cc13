/** `unwind sandbox`: runs the embedded GitHub sandbox with the seeded demo org until SIGINT/SIGTERM. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startSandbox } from '../../sandbox/index.ts';
import { portNumber } from '../parse-number.ts';

interface SandboxCliOptions {
  dir: string;
  port: number;
  json?: boolean;
  webhookUrl?: string;
  strict: boolean;
}

export function register(program: Command): void {
  program
    .command('sandbox')
    .description('Start the embedded GitHub sandbox (REST, git over HTTP, webhooks) with the demo org "acme"')
    .option('--dir <dir>', 'state directory (reopened if it exists)', '.sandbox')
    .option('--port <port>', 'TCP port on 127.0.0.1 (0 = any free port)', portNumber, 0)
    .option('--webhook-url <url>', 'deliver webhooks to this URL (e.g. a Probot server)')
    .option('--no-strict', 'do not check requests, responses and webhooks against GitHub\'s OpenAPI description')
    .option('--json', 'print one JSON line {baseUrl, appId, privateKeyPath, webhookSecret, installationId}')
    .action(async (opts: SandboxCliOptions) => {
      const sandbox = await startSandbox({
        dir: resolve(opts.dir),
        port: opts.port,
        seedDemo: true,
        strict: opts.strict,
        ...(opts.webhookUrl !== undefined ? { webhookUrl: opts.webhookUrl } : {}),
      });
      const info = {
        baseUrl: sandbox.baseUrl,
        appId: sandbox.app.id,
        privateKeyPath: sandbox.app.privateKeyPath,
        webhookSecret: sandbox.app.webhookSecret,
        installationId: sandbox.installationId('acme'),
      };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(info)}\n`);
      } else {
        process.stdout.write(
          [
            `Unwind GitHub sandbox running at ${info.baseUrl} (REST also under /api/v3, git at ${info.baseUrl}/acme/<repo>.git)`,
            `  App id:           ${info.appId}`,
            `  Private key:      ${info.privateKeyPath}`,
            `  Webhook secret:   ${info.webhookSecret}`,
            `  Installation id:  ${info.installationId} (org acme)`,
            `  State directory:  ${resolve(opts.dir)}`,
            'Press Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      }
      await new Promise<void>((done) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          done();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await sandbox.close();
      const found = sandbox.violations();
      if (found.length > 0) {
        const lines = found.slice(0, 20).map((v) => `  [${v.kind}] ${v.where}: ${v.message}`);
        if (found.length > 20) lines.push(`  … and ${found.length - 20} more`);
        process.stderr.write(`unwind sandbox: ${found.length} contract violation(s) recorded during the run:\n${lines.join('\n')}\n`);
      }
    });
}
