/** A loaded policy set: which engine, which version, and how to evaluate the decision. */
import type { PolicyEngine } from './decision.ts';
import type { CompiledPolicy, TraceEvent } from './rego/index.ts';

export interface EvaluateOptions {
  nowNs: bigint;
  maxSteps: number;
  timeoutMs: number;
  trace?: boolean;
}

export interface Evaluator {
  /** The decision's JS value, or `undefined` when the policy leaves it undefined. Throws on evaluation errors. */
  evaluate(input: unknown, opts: EvaluateOptions): { value: unknown; trace?: TraceEvent[] };
}

export interface PolicySet {
  readonly engine: PolicyEngine;
  /** Content hash of the files used (`sha256:<hex>`). */
  readonly policyVersion: string;
  /** Paths of the files the set was built from. */
  readonly files: readonly string[];
  /** Why the set cannot be used (every decision then fails closed), with file:line:col when known. */
  readonly failure?: string;
  readonly evaluator?: Evaluator;
  /** The compiled Rego (rego engine only), for explanations. */
  readonly rego?: CompiledPolicy;
}

export const DECISION_REF = 'data.unwind.decision';
export const DECISION_ENTRYPOINT = 'unwind/decision';
