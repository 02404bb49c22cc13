import type { Command } from 'commander';
import { runDemo } from '../../demo/run-demo.ts';
import { positiveInteger } from '../parse-number.ts';

/** `unwind demo`: a real cross-repo rollback on the embedded sandbox (what `npm run demo` runs). */
export function register(program: Command): void {
  program
    .command('demo')
    .description('Run a real cross-repo rollback on the embedded sandbox and print its ledger')
    .option('--keep', 'keep the sandbox directory afterwards')
    .option('--timeout <seconds>', 'give up after this many seconds', positiveInteger, 90)
    .action(async (opts: { keep?: boolean; timeout: number }) => {
      const { ok } = await runDemo({ out: (line) => process.stdout.write(`${line}\n`), keep: opts.keep, timeoutMs: opts.timeout * 1000 });
      process.exitCode = ok ? 0 : 1;
    });
}
