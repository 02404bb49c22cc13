/**
 * The contract between the evaluator and builtin functions.
 *
 * A builtin receives its already-evaluated operands and returns a Value, or `undefined` when the
 * result is undefined. It throws `BuiltinError` for type errors and other failures: the evaluator
 * turns that into undefined (OPA's default) or into an evaluation error when strict builtin errors
 * are on (`strict_error` in OPA's conformance cases, and always for type errors caught at compile time).
 */
import type { Value } from './value.ts';

export class BuiltinError extends Error {
  constructor(
    readonly builtin: string,
    message: string,
    /** 'type' for operand type errors (OPA's "operand N must be T but got U"), 'eval' otherwise. */
    readonly kind: 'type' | 'eval' = 'eval',
  ) {
    super(`${builtin}: ${message}`);
  }
}

export interface BuiltinContext {
  /** Evaluation instant in nanoseconds since the Unix epoch; fixed for one evaluation (time.now_ns). */
  readonly nowNs: bigint;
  /** Output sink for `print`. */
  readonly print: (line: string) => void;
  /** A per-evaluation cache builtins may use (e.g. compiled regexes). */
  readonly cache: Map<string, unknown>;
  /**
   * Charges `units` of work to the evaluation budget (steps and time); throws when it is exhausted.
   * Builtins whose cost grows with their input call it as they go (walk, numbers.range, …).
   */
  readonly charge?: (units: number) => void;
}

export interface BuiltinDef {
  /** Full dotted name, e.g. `strings.replace_n`, `count`, `time.parse_rfc3339_ns`. */
  readonly name: string;
  /** Number of operands (not counting the output). */
  readonly arity: number;
  /** Non-deterministic builtins (time.now_ns, rand.*) are not constant-folded. */
  readonly nondeterministic?: boolean;
  /**
   * A relation (only `walk` in OPA): `fn` returns an RArray of every output value and the
   * evaluator binds the output operand to each in turn.
   */
  readonly relation?: boolean;
  /**
   * Optional lazy form of a relation: yields the output values one at a time, so that a search that
   * stops early does not build them all (and the pairs become garbage as they are consumed).
   */
  readonly each?: (args: Value[], ctx: BuiltinContext) => Iterable<Value>;
  /**
   * OPA's declared signature (ast/builtins.go) in OPA's notation, read by the type checker
   * (`typecheck/signatures.ts`), e.g. `(x: string, n: number) => ys: array[string]`. Optional: a builtin
   * without one is checked against the checker's own table, or not at all.
   */
  readonly types?: string;
  readonly fn: (args: Value[], ctx: BuiltinContext) => Value | undefined;
}

export type BuiltinRegistry = ReadonlyMap<string, BuiltinDef>;
