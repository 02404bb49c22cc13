/** Numeric options of every command: a value that is not a positive integer (or a port) is an error naming the option. */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { register as registerPlan } from '../../src/cli/commands/plan.ts';
import { register as registerPolicy } from '../../src/cli/commands/policy.ts';
import { register as registerSandbox } from '../../src/cli/commands/sandbox.ts';
import { register as registerDemo } from '../../src/cli/commands/demo.ts';
import { register as registerServe } from '../../src/cli/commands/serve.ts';
import { positiveInteger, portNumber } from '../../src/cli/parse-number.ts';

/** The error commander stops with for `args` (the command's action never runs). */
async function errorOf(args: string[]): Promise<string> {
  const program = new Command('unwind').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  for (const register of [registerPlan, registerPolicy, registerSandbox, registerDemo, registerServe]) register(program);
  for (const command of program.commands) command.action(() => { throw new Error(`the action of ${command.name()} ran`); });
  try {
    await program.parseAsync(['node', 'unwind', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) return err.message;
    throw err;
  }
  return 'no error';
}

describe('numeric command-line options', () => {
  const cases: Array<[string[], string]> = [
    [['plan', '--map', 'm.yml', '--targets', 'o/r#1', '--max-pulls', '-1'], "option '--max-pulls <n>' argument '-1' is invalid. expected a positive integer"],
    [['plan', '--map', 'm.yml', '--targets', 'o/r#1', '--max-pulls', 'lots'], "option '--max-pulls <n>' argument 'lots' is invalid"],
    [['plan', '--map', 'm.yml', '--targets', 'o/r#1', '--max-pulls', '0'], "option '--max-pulls <n>' argument '0' is invalid"],
    [['plan', '--map', 'm.yml', '--targets', 'o/r#1', '--max-pulls', '2.5'], "option '--max-pulls <n>' argument '2.5' is invalid"],
    [['policy', 'eval', '--input', 'i.json', '--max-steps', '1e3'], "option '--max-steps <n>' argument '1e3' is invalid"],
    [['policy', 'test', '--timeout-ms', 'soon'], "option '--timeout-ms <n>' argument 'soon' is invalid"],
    [['sandbox', '--port', ''], "option '--port <port>' argument '' is invalid. expected a TCP port"],
    [['sandbox', '--port', '65536'], "option '--port <port>' argument '65536' is invalid"],
    [['demo', '--timeout', 'forever'], "option '--timeout <seconds>' argument 'forever' is invalid"],
    [['serve', '--port', '-80'], "option '--port <port>' argument '-80' is invalid"],
  ];
  it.each(cases)('%j', async (args, message) => {
    expect(await errorOf(args)).toContain(message);
  });

  it('accepts what the options take', () => {
    expect([positiveInteger('1'), positiveInteger(' 250 '), positiveInteger(String(Number.MAX_SAFE_INTEGER))]).toEqual([1, 250, Number.MAX_SAFE_INTEGER]);
    expect([portNumber('0'), portNumber('8080'), portNumber('65535')]).toEqual([0, 8080, 65_535]);
    expect(() => positiveInteger(String(2 ** 60))).toThrow(/positive integer/);
  });
});
