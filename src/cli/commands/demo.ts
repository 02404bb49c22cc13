import type { Command } from 'commander';

/** Placeholder: `unwind demo` is being built. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('(not yet available)')
    .action(() => {
      throw new Error('unwind demo is not available yet');
    });
}
