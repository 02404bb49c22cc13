/**
 * Loads a policy folder's files into a `PolicySet`, choosing the engine: an OPA bundle (`bundle.tar.gz`)
 * or a bare `policy.wasm` → opa-wasm; otherwise the `*.rego` sources (tests excluded) → rego.
 * Never throws: a set that cannot load carries `failure`, and every decision on it fails closed.
 */
import { classifyPolicyFiles } from './classify-policy-files.ts';
import { hashPolicyFiles } from './hash-policy-files.ts';
import type { PolicyFile } from './hash-policy-files.ts';
import { loadBaseData, mergeData } from './merge-data.ts';
import { readBundle } from './opa-wasm/read-bundle.ts';
import { describeThrown, loadWasmPolicy } from './opa-wasm/load-wasm-policy.ts';
import { DECISION_ENTRYPOINT } from './policy-set.ts';
import { formatProblem } from './rego/errors.ts';
import type { RegoProblem } from './rego/errors.ts';
import type { PolicySet } from './policy-set.ts';
import type { PolicyEngine } from './decision.ts';
import { silentLogger } from '../shared/logger.ts';
import type { Logger } from '../shared/logger.ts';

export interface LoadPolicyOptions {
  logger?: Logger;
  /** Extra base data files (JSON, or YAML by extension), merged with the folder's data.json/data.yaml. */
  dataFiles?: ReadonlyArray<PolicyFile>;
}

export async function loadPolicySet(files: ReadonlyArray<PolicyFile>, opts: LoadPolicyOptions = {}): Promise<PolicySet> {
  const logger = opts.logger ?? silentLogger;
  const c = classifyPolicyFiles(files);
  c.data.push(...(opts.dataFiles ?? []));
  const engine: PolicyEngine = c.bundles.length > 0 || c.wasm.length > 0 ? 'opa-wasm' : 'rego';
  const used = engine === 'opa-wasm' ? [...c.bundles, ...c.wasm, ...c.data] : [...c.rego, ...c.data];
  const base = { engine, policyVersion: hashPolicyFiles(used), files: used.map((f) => f.path) };
  let set: PolicySet;
  try {
    set = { ...base, ...(engine === 'opa-wasm' ? await loadWasm(c) : await loadRego(c)) };
  } catch (err) {
    set = { ...base, failure: describeLoadFailure(err) };
  }
  const log = { engine, policy_version: set.policyVersion, files: set.files };
  if (set.failure) logger.warn({ ...log, failure: set.failure }, 'policy set failed to load; decisions will fail closed');
  else logger.info(log, `policy engine selected: ${engine}`);
  return set;
}

async function loadRego(c: ReturnType<typeof classifyPolicyFiles>): Promise<Partial<PolicySet>> {
  if (c.rego.length === 0) throw new Error('no policy found: expected *.rego files, a bundle.tar.gz or a policy.wasm');
  // Loaded on demand: a set served by opa-wasm never loads the interpreter.
  const { compileRegoSet } = await import('./compile-rego-set.ts');
  const { rego, evaluator } = compileRegoSet(c.rego, loadBaseData(c.data));
  return { rego, evaluator };
}

async function loadWasm(c: ReturnType<typeof classifyPolicyFiles>): Promise<Partial<PolicySet>> {
  const sources = [...c.bundles, ...c.wasm];
  if (sources.length > 1) throw new Error(`more than one compiled policy: ${sources.map((f) => f.path).join(', ')}; keep one bundle.tar.gz or policy.wasm`);
  const extra = loadBaseData(c.data);
  let wasm: Uint8Array;
  let data: Record<string, unknown> = extra;
  const src = sources[0];
  const bytes = typeof src.content === 'string' ? Buffer.from(src.content, 'utf8') : src.content;
  if (c.bundles.length > 0) {
    const bundle = await readBundle(bytes, src.path, DECISION_ENTRYPOINT);
    wasm = bundle.wasm;
    data = mergeData([
      { path: src.path, value: bundle.data },
      { path: c.data.map((f) => f.path).join(', '), value: extra },
    ]);
  } else {
    wasm = new Uint8Array(bytes);
  }
  const policy = await loadWasmPolicy({ wasm, data, entrypoint: DECISION_ENTRYPOINT, where: src.path });
  return { evaluator: { evaluate: (input) => ({ value: policy.evaluate(input) }) } };
}

/** One line naming what failed and where (compile problems carry file:line:col). */
function describeLoadFailure(err: unknown): string {
  const problems = (err as { problems?: RegoProblem[] }).problems;
  if (Array.isArray(problems) && problems.length > 0) return `policy does not compile: ${problems.map(formatProblem).join('; ')}`;
  return `policy could not be loaded: ${describeThrown(err)}`;
}
