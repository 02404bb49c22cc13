/**
 * The policy facade: `loadPolicySet` (engine choice) and `decide` (evaluate `data.unwind.decision`).
 * `decide` never throws: any failure becomes a hard deny naming what happened (fail closed).
 */
import { PolicyInputSchema } from './input.ts';
import { PolicyDecisionSchema } from './decision.ts';
import type { Decision } from './decision.ts';
import { failClosed } from './fail-closed.ts';
import { resolveBudget } from './budget.ts';
import type { Budget } from './budget.ts';
import { describeThrown } from './opa-wasm/load-wasm-policy.ts';
import { DECISION_REF } from './policy-set.ts';
import type { PolicySet } from './policy-set.ts';
import type { TraceEvent } from './rego/index.ts';
import { silentLogger } from '../shared/logger.ts';
import type { Logger } from '../shared/logger.ts';

export { loadPolicySet } from './load-policy-set.ts';
export type { LoadPolicyOptions } from './load-policy-set.ts';
export { loadDefaultPolicies } from './load-default-policies.ts';
export type { PolicySet } from './policy-set.ts';
export { DEFAULT_BUDGET } from './budget.ts';
export type { Budget } from './budget.ts';

export interface DecideOptions {
  /** The decision instant (also what `time.now_ns()` returns). */
  now: Date;
  budget?: Budget;
  logger?: Logger;
  /** Ask the engine for a trace (rego engine); returned by `decideWithTrace`. */
  trace?: boolean;
}

export function decide(set: PolicySet, input: unknown, opts: DecideOptions): Decision {
  return decideWithTrace(set, input, opts).decision;
}

export function decideWithTrace(set: PolicySet, input: unknown, opts: DecideOptions): { decision: Decision; trace?: TraceEvent[] } {
  const logger = opts.logger ?? silentLogger;
  const closed = (reason: string): { decision: Decision } => {
    logger.warn({ engine: set.engine, policy_version: set.policyVersion, reason }, 'policy decision failed closed');
    return { decision: failClosed(set, reason) };
  };
  // 1. A set that did not load denies everything.
  if (set.failure || !set.evaluator) return closed(set.failure ?? 'policy could not be loaded');
  // 2. The input must be the documented one.
  const parsedInput = PolicyInputSchema.safeParse(input);
  if (!parsedInput.success) {
    const first = parsedInput.error.issues[0];
    return closed(`invalid policy input at ${first.path.join('.') || '(root)'}: ${first.message}`);
  }
  // 3. Evaluate within the budget.
  const budget = resolveBudget(opts.budget);
  let result: { value: unknown; trace?: TraceEvent[] };
  try {
    result = set.evaluator.evaluate(parsedInput.data, {
      nowNs: BigInt(opts.now.getTime()) * 1_000_000n,
      maxSteps: budget.maxSteps,
      timeoutMs: budget.timeoutMs,
      trace: opts.trace,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'budget_exceeded') {
      return closed(`policy evaluation exceeded its budget (${budget.maxSteps} steps, ${budget.timeoutMs} ms): ${describeThrown(err)}`);
    }
    return closed(`policy evaluation failed: ${describeThrown(err)}`);
  }
  // 4. The decision must be defined and well-formed.
  if (result.value === undefined) return closed(`${DECISION_REF} is undefined for this input (define it for every input, e.g. with a default)`);
  const parsed = PolicyDecisionSchema.safeParse(result.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return closed(`${DECISION_REF} does not match the decision schema at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  // 5. Normalise: a blocking reason or pending approvals always mean "not now".
  const d = parsed.data;
  const blocking = d.deny.some((r) => r.enforcement !== 'advisory');
  const warnings = [...d.warnings];
  if (d.allow && (blocking || d.pending)) warnings.push('the policy allowed the action despite blocking reasons or pending approvals; Unwind treats it as not allowed');
  const decision: Decision = {
    ...d,
    allow: d.allow && !blocking && d.pending === null,
    warnings,
    engine: set.engine,
    policy_version: set.policyVersion,
  };
  return { decision, trace: result.trace };
}
