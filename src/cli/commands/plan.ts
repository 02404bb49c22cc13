import type { Command } from 'commander';

/** Placeholder: `unwind plan` is being built. */
export function register(program: Command): void {
  program
    .command('plan')
    .description('(not yet available)')
    .action(() => {
      throw new Error('unwind plan is not available yet');
    });
}
