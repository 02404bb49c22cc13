import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.ts';
import { positiveInteger } from '../parse-number.ts';

/** Resolves at the first Ctrl-C (SIGINT) or SIGTERM. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `unwind demo`: a real cross-repo rollback on the embedded sandbox (what `npm run demo` runs). */
export function register(program: Command): void {
  program
    .command('demo')
    .description('Run a real cross-repo rollback on the embedded sandbox and print its ledger')
    .option('--keep', 'keep the sandbox directory afterwards')
    .option('--serve', 'then keep the sandbox and Unwind running (pages, /rollbacks, /metrics) until Ctrl-C')
    .option('--timeout <seconds>', 'give up waiting for the rollback after this many seconds (it takes ~10 s on an idle machine)', positiveInteger, 300)
    .addHelpText('after', '\nWith --serve, /rollbacks asks for GitHub sign-in (the sandbox\'s OAuth flow) unless UNWIND_DASHBOARD_AUTH=off.')
    .action(async (opts: { keep?: boolean; serve?: boolean; timeout: number }) => {
      const auth = process.env.UNWIND_DASHBOARD_AUTH?.trim() || 'on';
      if (auth !== 'on' && auth !== 'off') {
        process.stderr.write(`unwind demo: UNWIND_DASHBOARD_AUTH must be on or off, got ${JSON.stringify(process.env.UNWIND_DASHBOARD_AUTH)}\n`);
        process.exitCode = 1;
        return;
      }
      const { ok } = await runDemo({
        out: (line) => process.stdout.write(`${line}\n`),
        keep: opts.keep,
        timeoutMs: opts.timeout * 1000,
        dashboardAuth: auth,
        ...(opts.serve ? { serveUntil: untilStopped } : {}),
      });
      process.exitCode = ok ? 0 : 1;
    });
}
