/** A RunContext for command handlers, which record and save but never revert. */
import { LedgerWriter } from '../execution/ledger-writer.ts';
import { RunContext } from '../execution/run-context.ts';
import { StateSaver } from '../execution/save-state.ts';
import type { RollbackState } from '../execution/state.ts';
import type { CommandEnv } from './command-env.ts';

export function openRollback(env: CommandEnv, state: RollbackState): RunContext {
  const deps = {
    port: env.client.port,
    trust: env.trust,
    now: env.now,
    log: env.log.child({ rollback: state.id }),
    concurrency: 1,
    pollMs: 0,
    revert: () => Promise.reject(new Error('command handlers do not create revert branches')),
    beforeEffect: env.beforeEffect,
  };
  return new RunContext(deps, state, new LedgerWriter(env.client.port, env.now, env.trust), new StateSaver(env.client.port, env.trust.keyring), env.trust.botLogin);
}
