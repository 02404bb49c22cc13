import type { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deriveAppKey } from '../../trust/keyring.ts';

/**
 * `unwind keys new|derive`: entries for UNWIND_STATE_KEYS (`kid=base64-secret`), the keys that sign
 * tracking-issue state and ledger records. `derive` prints the key derived from an App private key,
 * so a retired App key's signatures stay valid while its rollbacks finish (see SECURITY.md).
 */
export function register(program: Command): void {
  const keys = program.command('keys').description('State-signing keys for UNWIND_STATE_KEYS (see SECURITY.md)');
  keys
    .command('new')
    .description('print a new random key entry: kid=base64-secret')
    .option('--kid <kid>', 'key id (lowercase letters, digits, hyphens)', `k${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`)
    .action((opts: { kid: string }) => {
      if (!/^[a-z0-9-]{1,32}$/.test(opts.kid)) throw new Error(`--kid "${opts.kid}" must be 1 to 32 lowercase letters, digits or hyphens`);
      process.stdout.write(`${opts.kid}=${randomBytes(32).toString('base64')}\n`);
    });
  keys
    .command('derive')
    .description("print the key Unwind derives from an App private key (PEM), as a key entry")
    .requiredOption('--private-key <file>', 'the App private key (.pem)')
    .action((opts: { privateKey: string }) => {
      const key = deriveAppKey(readFileSync(opts.privateKey, 'utf8'));
      process.stdout.write(`${key.kid}=${key.secret.toString('base64')}\n`);
    });
}
