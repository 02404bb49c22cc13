/**
 * The machine state of one rollback. It lives, as hidden JSON, in the tracking issue's body, so a
 * restarted Unwind can continue from GitHub alone. The zod schema is the single source of the type.
 */
import { z } from 'zod';
import { ROLLBACK_ID_PATTERN } from '../shared/rollback-id.ts';

export const STEP_STATES = [
  'planned',
  'branch_pushed',
  'pr_open',
  'checks_pending',
  'mergeable',
  'merged',
  'verified',
  'conflict',
  'checks_failed',
  'merge_blocked',
  'compensation_failed',
  'aborted',
  'failed',
] as const;
export type StepStatus = (typeof STEP_STATES)[number];

/** States after which a step needs a human (`/rollback retry` or abort). */
export const STOPPING_STATES: readonly StepStatus[] = ['conflict', 'checks_failed', 'merge_blocked', 'compensation_failed', 'failed'];

const RepoName = z.string().regex(/^[\w.-]+\/[\w.-]+$/);

export const RevertTargetSchema = z.object({
  kind: z.enum(['pull', 'commit']),
  number: z.number().int().nullable(),
  title: z.string(),
  url: z.string(),
  /** The commit to revert (merge/squash commit of a PR, or the named commit). */
  sha: z.string(),
  author: z.string().nullable(),
  mergedAt: z.string().nullable(),
  files: z.array(z.string()),
  /** A PR target's head branch and GraphQL id, from planning: GitHub's revert needs no read of the PR then. */
  headRef: z.string().optional(),
  nodeId: z.string().optional(),
});
export type RevertTarget = z.infer<typeof RevertTargetSchema>;

export const CompensationRefSchema = z.object({
  id: z.string(),
  workflow: z.string(),
  ref: z.string(),
  inputs: z.record(z.string(), z.string()),
  when: z.enum(['before_revert', 'after_revert']),
  idempotencyKey: z.string(),
  onFailure: z.enum(['abort', 'continue', 'escalate']),
  retries: z.number().int().min(0),
  state: z.enum(['pending', 'dispatched', 'succeeded', 'failed', 'skipped']),
  runId: z.number().int().nullable(),
  /** When the current attempt was dispatched, in whole seconds (GitHub's run timestamps have no milliseconds). */
  dispatchedAt: z.string().nullable(),
  /** Attempts dispatched so far (the first one plus retries). */
  attempt: z.number().int().min(0).default(0),
  backoffMs: z.number().int().min(0).default(30_000),
  maxBackoffMs: z.number().int().min(0).default(600_000),
  /** How long one attempt may run before it counts as failed. */
  timeoutMs: z.number().int().min(0).default(900_000),
  /** A retry is not dispatched before this time. */
  notBefore: z.string().nullable().default(null),
  /** Runs of earlier attempts: never taken for the current attempt's dispatch. */
  pastRuns: z.array(z.number().int()).default([]),
});
export type CompensationRef = z.infer<typeof CompensationRefSchema>;

export const StepStateSchema = z.object({
  key: z.string(),
  wave: z.number().int().min(0),
  index: z.number().int().min(0),
  repo: RepoName,
  service: z.string(),
  kind: z.enum(['revert', 'compensate']),
  targets: z.array(RevertTargetSchema),
  mergeMethod: z.enum(['merge', 'squash', 'rebase']),
  waitForChecks: z.array(z.string()),
  owners: z.array(z.string()),
  /** Labels the contract puts on revert PRs. */
  labels: z.array(z.string()).default([]),
  /** How long the revert PR's checks may stay pending before the step stops (contract `revert.checks_timeout`). */
  checksTimeoutMs: z.number().int().min(0).default(1_800_000),
  /** When the step began waiting for checks on its current head (restarts on retry). */
  checksSince: z.string().nullable().default(null),
  compensations: z.array(CompensationRefSchema),
  state: z.enum(STEP_STATES),
  branch: z.string(),
  pr: z.object({ number: z.number().int(), url: z.string() }).nullable(),
  headSha: z.string().nullable(),
  mergeSha: z.string().nullable(),
  detail: z.string().nullable(),
  drift: z.array(z.string()),
  startedAt: z.string().nullable(),
  prOpenedAt: z.string().nullable(),
  mergedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  bytesFetched: z.number().int().nullable(),
});
export type StepState = z.infer<typeof StepStateSchema>;

export const ROLLBACK_STATUSES = ['awaiting_approval', 'running', 'stopped', 'completed', 'aborted', 'denied'] as const;
export type RollbackStatus = (typeof ROLLBACK_STATUSES)[number];

export const DecisionSummarySchema = z.object({
  allow: z.boolean(),
  pending: z.boolean(),
  reasons: z.array(z.object({ reason: z.string(), enforcement: z.string() })),
  warnings: z.array(z.string()),
  approvalsRequired: z.number().int().min(0),
  approverTeams: z.array(z.string()),
  approverUsers: z.array(z.string()),
  autoMerge: z.boolean(),
  engine: z.string(),
  policyVersion: z.string(),
  /** The policy input this decision was made on (recorded in the `requested` ledger entry, so policy changes can be replayed on it). */
  input: z.record(z.string(), z.unknown()).optional(),
});
export type DecisionSummary = z.infer<typeof DecisionSummarySchema>;

export const RollbackStateSchema = z.object({
  v: z.literal(1),
  id: z.string().regex(new RegExp(ROLLBACK_ID_PATTERN)),
  status: z.enum(ROLLBACK_STATUSES),
  org: z.string(),
  /** `owner/repo` of the org config repo the map and policies were read from. */
  configRepo: RepoName,
  /** Contract facts the policy sees, by `owner/repo`. */
  contracts: z.record(
    z.string(),
    z.object({ service: z.string(), owners: z.array(z.string()), tier: z.string().optional(), paused: z.boolean(), auto_merge: z.boolean().optional() }),
  ),
  summary: z.string(),
  /** Where the rollback was asked for: the PR or issue, and the comment (null for states written before it was kept). */
  origin: z.object({ repo: RepoName, number: z.number().int(), url: z.string(), commentUrl: z.string().nullable().default(null) }),
  tracking: z.object({ repo: RepoName, number: z.number().int(), url: z.string() }),
  requestedBy: z.string(),
  /** `comment`: a `/rollback` command; `auto`: a failed post-merge check (SPEC §1). */
  trigger: z.enum(['comment', 'auto']).default('comment'),
  reason: z.string().nullable(),
  createdAt: z.string(),
  decision: DecisionSummarySchema,
  approvals: z.array(z.object({ login: z.string(), at: z.string() })),
  /** The lease (registry) under which the replica driving this rollback writes: a loop holding an older epoch stops. */
  lease: z.object({ holder: z.string(), epoch: z.number().int().min(0) }).nullable().optional(),
  /** Sequence number of the last ledger entry recorded. */
  seq: z.number().int().min(0),
  wave: z.number().int().min(0),
  waveCount: z.number().int().min(0),
  /** Finished waves whose ledger entry is not written yet (written when the run idles, else folded into the next entry). */
  pendingWaveEntries: z.array(z.number().int().min(0)).default([]),
  steps: z.array(StepStateSchema),
  warnings: z.array(z.string()),
  planMarkdown: z.string(),
  timings: z.object({
    requestedAt: z.string(),
    plannedAt: z.string().nullable(),
    approvedAt: z.string().nullable(),
    firstPrAt: z.string().nullable(),
    waves: z.array(z.object({ wave: z.number().int(), startedAt: z.string(), endedAt: z.string().nullable() })),
    finishedAt: z.string().nullable(),
    resumes: z.number().int().min(0),
    /** Time the rollback sat unattended before the reconciler resumed it (summed over resumes). */
    reconciliationMs: z.number().int().min(0).default(0),
  }),
});
export type RollbackState = z.infer<typeof RollbackStateSchema>;

export function stepsOfWave(state: RollbackState, wave: number): StepState[] {
  return state.steps.filter((s) => s.wave === wave);
}

/** Where a rollback stands, for log lines (resumes, restarts). */
export function whereItStands(state: RollbackState): Record<string, string | number> {
  return { rollback: state.id, tracking: state.tracking.url, status: state.status, wave: Math.min(state.wave + 1, state.waveCount), waves: state.waveCount, seq: state.seq };
}

export function isActive(state: RollbackState): boolean {
  return state.status === 'running' || state.status === 'awaiting_approval' || state.status === 'stopped';
}
