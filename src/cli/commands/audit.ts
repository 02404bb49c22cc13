import type { Command } from 'commander';

/** Placeholder: `unwind audit` is being built. */
export function register(program: Command): void {
  program
    .command('audit')
    .description('(not yet available)')
    .action(() => {
      throw new Error('unwind audit is not available yet');
    });
}
