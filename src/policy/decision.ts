/**
 * The policy decision: what `data.unwind.decision` must return (`PolicyDecisionSchema`, published as
 * `schemas/policy-decision.schema.json`), and the normalised `Decision` Unwind records in the ledger.
 */
import { z } from 'zod';

export const ENFORCEMENTS = ['advisory', 'soft', 'hard'] as const;

export const DenyReasonSchema = z.object({
  reason: z.string().min(1).describe('Human-readable reason, shown in the tracking issue.'),
  enforcement: z
    .enum(ENFORCEMENTS)
    .describe('advisory: informational, does not block; soft: blocks unless overridden by someone the policy allows; hard: blocks.'),
  rule: z.string().optional().describe('Id of the rule that produced the reason, e.g. "unwind.kill_switch".'),
});

export const PendingSchema = z
  .object({
    approvals_required: z.number().int().positive().describe('How many more approvals are needed.'),
    teams: z.array(z.string()).describe('Teams whose members may approve.'),
    users: z.array(z.string()).describe('Users who may approve.'),
  })
  .describe('Approvals still needed before the action may proceed.');

export const PolicyDecisionSchema = z
  .object({
    allow: z.boolean().describe('True when the action may proceed now.'),
    deny: z.array(DenyReasonSchema).default([]).describe('Reasons against the action, each with its enforcement level.'),
    pending: PendingSchema.nullable().default(null).describe('Approvals still required, or null.'),
    auto_merge: z.boolean().default(false).describe('True when Unwind may merge the revert PRs without a human.'),
    warnings: z.array(z.string()).default([]).describe('Notes shown with the decision; they never block.'),
  })
  .describe('The value of data.unwind.decision.');

export type DenyReason = z.infer<typeof DenyReasonSchema>;
export type Pending = z.infer<typeof PendingSchema>;
export type PolicyDecision = z.infer<typeof PolicyDecisionSchema>;
export type PolicyEngine = 'rego' | 'opa-wasm';

/** A decision as Unwind records it: the policy's answer plus where it came from. */
export interface Decision extends PolicyDecision {
  /** Which engine evaluated the policy. */
  engine: PolicyEngine;
  /** sha256 over the policy files (sorted by path), `sha256:<hex>`. */
  policy_version: string;
  /** Present when the decision was forced by a failure (fail closed). */
  errors?: string[];
}

export const FAIL_CLOSED_RULE = 'unwind.fail_closed';
