import type { Command } from 'commander';

/** Placeholder: `unwind sandbox` is being built. */
export function register(program: Command): void {
  program
    .command('sandbox')
    .description('(not yet available)')
    .action(() => {
      throw new Error('unwind sandbox is not available yet');
    });
}
