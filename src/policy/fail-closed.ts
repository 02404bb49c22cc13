/** The decision Unwind records when the policy cannot answer: a hard deny that says what happened. */
import { FAIL_CLOSED_RULE } from './decision.ts';
import type { Decision } from './decision.ts';
import type { PolicySet } from './policy-set.ts';

export function failClosed(set: Pick<PolicySet, 'engine' | 'policyVersion'>, reason: string): Decision {
  return {
    allow: false,
    deny: [{ reason, enforcement: 'hard', rule: FAIL_CLOSED_RULE }],
    pending: null,
    auto_merge: false,
    warnings: [],
    engine: set.engine,
    policy_version: set.policyVersion,
    errors: [reason],
  };
}
