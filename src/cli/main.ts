#!/usr/bin/env node
/** `unwind` command-line entry: wiring only. Each command lives in `commands/<name>.ts` and exports `register`. */
import { Command } from 'commander';
import { register as registerSandbox } from './commands/sandbox.ts';
import { register as registerValidate } from './commands/validate.ts';
import { register as registerPlan } from './commands/plan.ts';
import { register as registerPolicy } from './commands/policy.ts';
import { register as registerDemo } from './commands/demo.ts';
import { register as registerAudit } from './commands/audit.ts';
import { register as registerServe } from './commands/serve.ts';
import { register as registerKeys } from './commands/keys.ts';

const program = new Command('unwind')
  .description('Coordinated, audited rollbacks across many repositories (a GitHub App).')
  .showHelpAfterError()
  .enablePositionalOptions();

for (const register of [registerSandbox, registerValidate, registerPlan, registerPolicy, registerAudit, registerServe, registerKeys, registerDemo]) register(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`unwind: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
