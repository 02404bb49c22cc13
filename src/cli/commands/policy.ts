import type { Command } from 'commander';

/** Placeholder: `unwind policy` is being built. */
export function register(program: Command): void {
  program
    .command('policy')
    .description('(not yet available)')
    .action(() => {
      throw new Error('unwind policy is not available yet');
    });
}
