/** `unwind policy eval|test`: evaluate the governance policy on an input; run its `test_*` rules. */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Command } from 'commander';
import { decideWithTrace, loadPolicySet } from '../../policy/evaluate-decision.ts';
import { defaultPoliciesDir } from '../../policy/load-default-policies.ts';
import { readPolicyPaths } from '../../policy/read-policy-paths.ts';
import { policyTime } from '../../policy/policy-time.ts';
import { explainDecision, formatExplanations } from '../../policy/explain-decision.ts';
import { runPolicyTests } from '../../policy/run-policy-tests.ts';
import type { Budget } from '../../policy/budget.ts';
import { positiveInteger } from '../parse-number.ts';
import { registerPolicyImpact } from './policy-impact.ts';

export interface CommandOutput {
  stdout: string;
  exitCode: number;
}

export interface PolicyEvalOptions {
  input: string;
  data?: string[];
  now?: string;
  explain?: boolean;
  budget?: Budget;
}

function policyPaths(paths: readonly string[]): string[] {
  return paths.length > 0 ? [...paths] : [relative(process.cwd(), defaultPoliciesDir()) || '.'];
}

function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text) || Number.isNaN(ms)) {
    throw new Error(`--now: "${text}" is not an RFC 3339 instant (e.g. 2024-05-18T03:00:00Z)`);
  }
  return new Date(ms);
}

async function readJSON(path: string, what: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${what} ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} ${path}: invalid JSON: ${(err as Error).message}`);
  }
}

/** Exit code 0 when the policy answered (allow or deny), 1 when the decision failed closed. */
export async function policyEval(paths: readonly string[], opts: PolicyEvalOptions): Promise<CommandOutput> {
  const now = parseNow(opts.now);
  const input = await readJSON(opts.input, '--input');
  if (now && typeof input === 'object' && input !== null) (input as Record<string, unknown>).time = policyTime(now);
  const files = await readPolicyPaths(policyPaths(paths));
  const dataFiles = await Promise.all((opts.data ?? []).map(async (p) => ({ path: p, content: await readFile(p) })));
  const set = await loadPolicySet(files, { dataFiles });
  const { decision, trace } = decideWithTrace(set, input, { now: now ?? new Date(), budget: opts.budget, trace: opts.explain });
  let stdout = JSON.stringify(decision, null, 2) + '\n';
  if (opts.explain) stdout += formatExplanations(explainDecision(decision, trace), set.engine);
  return { stdout, exitCode: decision.errors ? 1 : 0 };
}

/** Exit code 1 when any test fails or errors, the policies do not compile, or there is no test. */
export async function policyTest(paths: readonly string[], opts: { now?: string; budget?: Budget } = {}): Promise<CommandOutput> {
  const files = await readPolicyPaths(policyPaths(paths));
  const report = runPolicyTests(files, { now: parseNow(opts.now) ?? new Date(), budget: opts.budget });
  if (report.problems.length > 0) return { stdout: report.problems.map((p) => `ERROR ${p}`).join('\n') + '\n', exitCode: 1 };
  const total = report.results.length;
  if (total === 0) return { stdout: 'no test_* rules found\n', exitCode: 1 };
  const lines = report.results.map((r) => {
    const where = `${r.file}:${r.line}:${r.col}`;
    const detail = r.message ? `: ${r.message}` : '';
    return `${r.status.toUpperCase().padEnd(5)} ${r.ref} (${where}) ${r.durationMs.toFixed(1)}ms${r.status === 'pass' ? '' : detail}`;
  });
  const count = (s: string): number => report.results.filter((r) => r.status === s).length;
  lines.push('-'.repeat(80), `PASS: ${count('pass')}/${total}`);
  if (count('fail') > 0) lines.push(`FAIL: ${count('fail')}/${total}`);
  if (count('error') > 0) lines.push(`ERROR: ${count('error')}/${total}`);
  return { stdout: lines.join('\n') + '\n', exitCode: count('pass') === total ? 0 : 1 };
}

function emit(out: CommandOutput): void {
  process.stdout.write(out.stdout);
  process.exitCode = out.exitCode;
}

export function register(program: Command): void {
  const policy = program
    .command('policy')
    .description('Evaluate and test governance policies (Rego sources, or an OPA wasm bundle).');
  policy
    .command('eval')
    .description('Evaluate data.unwind.decision on an input and print the decision JSON (default PATHS: the shipped policies/).')
    .argument('[paths...]', 'policy folders or files (*.rego, data.json/yaml, bundle.tar.gz, policy.wasm)')
    .requiredOption('--input <file>', 'policy input JSON (schemas/policy-input.schema.json)')
    .option('--data <file>', 'extra base data (JSON or YAML); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--now <rfc3339>', 'evaluate at this instant: sets input.time and time.now_ns()')
    .option('--explain', 'show which rules (file:line:col) produced each deny reason and warning')
    .option('--max-steps <n>', 'evaluation step budget', positiveInteger)
    .option('--timeout-ms <n>', 'evaluation time budget in milliseconds', positiveInteger)
    .action(async (paths: string[], o: { input: string; data: string[]; now?: string; explain?: boolean; maxSteps?: number; timeoutMs?: number }) => {
      emit(await policyEval(paths, { input: o.input, data: o.data, now: o.now, explain: o.explain, budget: { maxSteps: o.maxSteps, timeoutMs: o.timeoutMs } }));
    });
  policy
    .command('test')
    .description('Run every test_* rule like `opa test`: PASS/FAIL/ERROR per test with file:line:col, then a summary (default PATHS: the shipped policies/).')
    .argument('[paths...]', 'policy folders or files (*.rego incl. *_test.rego, data.json/yaml)')
    .option('--now <rfc3339>', 'the instant time.now_ns() returns')
    .option('--max-steps <n>', 'evaluation step budget per test', positiveInteger)
    .option('--timeout-ms <n>', 'evaluation time budget per test in milliseconds', positiveInteger)
    .action(async (paths: string[], o: { now?: string; maxSteps?: number; timeoutMs?: number }) => {
      emit(await policyTest(paths, { now: o.now, budget: { maxSteps: o.maxSteps, timeoutMs: o.timeoutMs } }));
    });
  registerPolicyImpact(policy);
}
