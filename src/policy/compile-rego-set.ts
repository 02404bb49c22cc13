/** The rego engine: compiles Rego sources plus base data with Unwind's own interpreter. */
import { compile } from './rego/index.ts';
import type { CompiledPolicy } from './rego/index.ts';
import { toJS } from './rego/value.ts';
import { textOf } from './classify-policy-files.ts';
import { DECISION_REF } from './policy-set.ts';
import type { Evaluator } from './policy-set.ts';
import type { PolicyFile } from './hash-policy-files.ts';

/** Throws `RegoCompileError` (parse and compile problems with file:line:col). */
export function compileRegoSet(modules: readonly PolicyFile[], data: unknown): { rego: CompiledPolicy; evaluator: Evaluator } {
  const rego = compileRegoFiles(modules, data);
  const evaluator: Evaluator = {
    evaluate(input, opts) {
      const { value, trace } = rego.evalRef(DECISION_REF, {
        input,
        nowNs: opts.nowNs,
        maxSteps: opts.maxSteps,
        timeoutMs: opts.timeoutMs,
        trace: opts.trace,
      });
      return { value: value === undefined ? undefined : toJS(value), trace };
    },
  };
  return { rego, evaluator };
}

/** Compiles policy files (as read from disk) with optional base data; throws `RegoCompileError`. */
export function compileRegoFiles(modules: readonly PolicyFile[], data?: unknown): CompiledPolicy {
  return compile({ modules: modules.map((m) => ({ path: m.path, text: textOf(m) })), data });
}
