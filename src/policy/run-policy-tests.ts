/**
 * Runs the `test_*` rules of a set of Rego modules as `opa test` does: a test passes when it evaluates
 * to true; undefined or any other value fails; an evaluation error is an error.
 */
import type { CompiledPolicy } from './rego/index.ts';
import { formatProblem } from './rego/errors.ts';
import type { RegoProblem } from './rego/errors.ts';
import { classifyPolicyFiles } from './classify-policy-files.ts';
import { compileRegoFiles } from './compile-rego-set.ts';
import type { PolicyFile } from './hash-policy-files.ts';
import { loadBaseData } from './merge-data.ts';
import { describeThrown } from './opa-wasm/load-wasm-policy.ts';
import { resolveBudget } from './budget.ts';
import type { Budget } from './budget.ts';
import { toJSONText } from './rego/value.ts';

export interface PolicyTestResult {
  /** Full rule reference, e.g. `data.unwind_test.test_reader_is_denied`. */
  ref: string;
  name: string;
  file: string;
  line: number;
  col: number;
  status: 'pass' | 'fail' | 'error';
  /** For fail: the value the test produced; for error: the error. */
  message?: string;
  durationMs: number;
}

export interface PolicyTestReport {
  results: PolicyTestResult[];
  /** Problems that stopped the run before any test (parse/compile errors, bad data files), with locations. */
  problems: string[];
}

export function runPolicyTests(files: readonly PolicyFile[], opts: { now: Date; budget?: Budget }): PolicyTestReport {
  const c = classifyPolicyFiles(files);
  const modules = [...c.rego, ...c.tests];
  if (modules.length === 0) return { results: [], problems: ['no *.rego files found'] };
  let rego: CompiledPolicy;
  try {
    rego = compileRegoFiles(modules, loadBaseData(c.data));
  } catch (err) {
    const problems = (err as { problems?: RegoProblem[] }).problems;
    if (Array.isArray(problems)) return { results: [], problems: problems.map(formatProblem) };
    return { results: [], problems: [describeThrown(err)] };
  }
  const budget = resolveBudget(opts.budget);
  const nowNs = BigInt(opts.now.getTime()) * 1_000_000n;
  const seen = new Set<string>();
  const results: PolicyTestResult[] = [];
  const tests = rego
    .rules()
    .filter((r) => r.name.startsWith('test_') && r.ref.endsWith(`.${r.name}`))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  for (const rule of tests) {
    if (seen.has(rule.ref)) continue;
    seen.add(rule.ref);
    const started = performance.now();
    const base = { ref: rule.ref, name: rule.name, file: rule.file, line: rule.line, col: rule.col };
    try {
      const { value } = rego.evalRef(rule.ref, { nowNs, maxSteps: budget.maxSteps, timeoutMs: budget.timeoutMs });
      const durationMs = performance.now() - started;
      if (value === true) results.push({ ...base, status: 'pass', durationMs });
      else results.push({ ...base, status: 'fail', message: value === undefined ? 'undefined' : `evaluated to ${toJSONText(value)}`, durationMs });
    } catch (err) {
      results.push({ ...base, status: 'error', message: describeThrown(err), durationMs: performance.now() - started });
    }
  }
  return { results, problems: [] };
}
