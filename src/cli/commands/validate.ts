import type { Command } from 'commander';

/** Placeholder: `unwind validate` is being built. */
export function register(program: Command): void {
  program
    .command('validate')
    .description('(not yet available)')
    .action(() => {
      throw new Error('unwind validate is not available yet');
    });
}
