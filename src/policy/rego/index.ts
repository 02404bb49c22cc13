/**
 * Unwind's Rego engine: compiles Rego source modules (with OPA's semantics) and evaluates
 * queries and refs against input and data, synchronously and within a step/time budget.
 */
import { builtins as builtinFunctions } from './builtins/index.ts';
import { withInternalBuiltins } from './eval/template-string.ts';
import { compileProgram, compileQuery } from './compile/compile-program.ts';
import type { CompiledQuery, Program } from './compile/compile-program.ts';
import { RegoCompileError, RegoEvalError } from './errors.ts';
import type { RegoProblem } from './errors.ts';
import { Evaluator } from './eval/evaluator.ts';
import type { TraceEvent } from './eval/evaluator.ts';
import { parseModuleText } from './syntax/parse-module.ts';
import type { Module } from './syntax/ast.ts';
import { RObject, fromJS } from './value.ts';
import type { Value } from './value.ts';

export { RegoCompileError, RegoEvalError };
export type { RegoProblem, TraceEvent };

export interface RegoSource {
  path: string;
  text: string;
}

export interface EvalOptions {
  input?: unknown;
  nowNs?: bigint;
  maxSteps?: number;
  timeoutMs?: number;
  strictBuiltinErrors?: boolean;
  print?: (line: string) => void;
  trace?: boolean;
}

/** One solution of a query: user variable bindings and the values of its expressions (OPA's `expressions`). */
export interface QuerySolution {
  bindings: Record<string, Value>;
  expressions: Array<Value | undefined>;
}

export interface CompiledPolicy {
  /** Evaluates a Rego query; one bindings map per solution, variables starting with `_` excluded. */
  query(text: string, opts?: EvalOptions): { bindings: Array<Record<string, Value>>; trace?: TraceEvent[] };
  /** Like `query`, with the captured value of each expression (as OPA reports them). */
  queryFull(text: string, opts?: EvalOptions): { solutions: QuerySolution[]; trace?: TraceEvent[] };
  /** Evaluates a ref like `data.unwind.decision`; undefined value when undefined. */
  evalRef(ref: string, opts?: EvalOptions): { value: Value | undefined; trace?: TraceEvent[] };
  /** Every rule (for test runners: `test_*` rules; for explain output). */
  rules(): Array<{ package: string; name: string; ref: string; file: string; line: number; col: number }>;
}

/** A JS stack overflow (pathologically deep evaluation) becomes an evaluation error, never a crash. */
function guardStack<T>(f: () => T, what = 'evaluation exceeded the maximum nesting depth'): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new RegoEvalError('budget_exceeded', what);
    throw e;
  }
}

const builtins = withInternalBuiltins(builtinFunctions);

export const DEFAULT_MAX_STEPS = 10_000_000;
export const DEFAULT_TIMEOUT_MS = 2_000;

export function parseModule(src: RegoSource, regoVersion: 'auto' | 'v1' = 'auto'): Module {
  return parseModuleText(src.path, src.text, regoVersion);
}

function toValue(x: unknown): Value {
  return fromJS(x);
}

/**
 * Compiles modules and base data. `regoVersion` 'v1' rejects v0 syntax in modules that do not
 * import future.keywords (default 'auto': see parseModuleText).
 */
export function compile(p: { modules: RegoSource[]; data?: unknown; regoVersion?: 'auto' | 'v1' }): CompiledPolicy {
  const problems: RegoProblem[] = [];
  const modules: Module[] = [];
  for (const m of p.modules) {
    try {
      modules.push(parseModule(m, p.regoVersion));
    } catch (e) {
      if (e instanceof RegoCompileError) problems.push(...e.problems);
      else throw e;
    }
  }
  if (problems.length) throw new RegoCompileError(problems);
  const data = p.data === undefined ? new RObject() : toValue(p.data);
  if (!(data instanceof RObject)) throw new RegoCompileError([{ file: '<data>', line: 1, col: 1, code: 'rego_compile_error', message: 'data must be an object' }]);
  const program = compileProgram(modules, data, builtins);
  return new Policy(program);
}

class Policy implements CompiledPolicy {
  private readonly queries = new Map<string, CompiledQuery>();
  constructor(private readonly program: Program) {}

  private compiled(text: string): CompiledQuery {
    let q = this.queries.get(text);
    if (!q) {
      q = compileQuery(this.program, text);
      if (this.queries.size > 256) this.queries.clear();
      this.queries.set(text, q);
    }
    return q;
  }

  private evaluator(opts: EvalOptions): Evaluator {
    return new Evaluator(this.program, {
      ...(opts.input !== undefined ? { input: guardStack(() => toValue(opts.input), 'the input nests too deeply') } : {}),
      nowNs: opts.nowNs ?? BigInt(Date.now()) * 1_000_000n,
      maxSteps: opts.maxSteps ?? DEFAULT_MAX_STEPS,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      strictBuiltinErrors: opts.strictBuiltinErrors ?? false,
      print: opts.print ?? (() => {}),
      trace: opts.trace ?? false,
    });
  }

  queryFull(text: string, opts: EvalOptions = {}): { solutions: QuerySolution[]; trace?: TraceEvent[] } {
    const q = this.compiled(text);
    const ev = this.evaluator(opts);
    const solutions: QuerySolution[] = [];
    ev.allowFalseCapture = q.reportFalse;
    ev.captures = new Array(q.size).fill(undefined);
    guardStack(() => ev.evalBody(q.body, 0, () => {
      const bindings: Record<string, Value> = {};
      for (const [unique, orig] of q.vars) {
        const v = ev.env.get(unique);
        if (v !== undefined) bindings[orig] = v;
      }
      solutions.push({ bindings, expressions: [...ev.captures] });
      return false;
    }));
    return { solutions, ...(opts.trace ? { trace: ev.traceEvents } : {}) };
  }

  query(text: string, opts: EvalOptions = {}): { bindings: Array<Record<string, Value>>; trace?: TraceEvent[] } {
    const r = this.queryFull(text, opts);
    return { bindings: r.solutions.map((s) => s.bindings), ...(r.trace ? { trace: r.trace } : {}) };
  }

  evalRef(ref: string, opts: EvalOptions = {}): { value: Value | undefined; trace?: TraceEvent[] } {
    const q = this.compiled(ref);
    if (q.size !== 1 || q.body[0].capture === undefined) throw new RegoEvalError('eval_invalid_ref', `not a ref: ${ref}`);
    const ev = this.evaluator(opts);
    ev.allowFalseCapture = true;
    ev.captures = [undefined];
    let value: Value | undefined;
    guardStack(() =>
      ev.evalBody(q.body, 0, () => {
        value = ev.captures[0];
        return true;
      }),
    );
    return { value, ...(opts.trace ? { trace: ev.traceEvents } : {}) };
  }

  rules(): Array<{ package: string; name: string; ref: string; file: string; line: number; col: number }> {
    return this.program.rules.map((r) => ({ package: r.pkg.join('.'), name: r.name, ref: r.ref, file: r.loc.file, line: r.loc.line, col: r.loc.col }));
  }
}
