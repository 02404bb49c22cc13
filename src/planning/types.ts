/** Plain data in and out of the planner. */
import type { MergeMethod } from '../github/port.ts';

/** Facts about one pull request, gathered from GitHub (app/gather-pull-facts.ts) or a file (`unwind plan --links`). */
export interface PullFacts {
  /** `owner/repo`. */
  readonly repo: string;
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly merged: boolean;
  readonly mergedAt: string | null;
  readonly mergeCommitSha: string | null;
  /** Parent count of the merge commit: 2 for a merge commit (reverted with `-m 1`), 1 for squash/rebase. */
  readonly mergeCommitParents?: number;
  /** Files the PR changed. */
  readonly files: readonly string[];
  readonly author: string;
  readonly url?: string;
}

/** A commit named as a target (`owner/repo@sha`) that no merged PR introduced. */
export interface CommitFacts {
  readonly repo: string;
  readonly sha: string;
  readonly parents: number;
  readonly message: string;
  readonly committedAt: string;
  readonly files: readonly string[];
  readonly author: string | null;
}

export type Target =
  | { readonly kind: 'pull'; readonly repo: string; readonly number: number }
  | { readonly kind: 'commit'; readonly repo: string; readonly sha: string };

export interface PlanLimits {
  /** Most PRs a plan may contain (targets + dependents + group members). */
  readonly maxPulls: number;
  /** Most Depends-On hops followed from a target. */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: PlanLimits = { maxPulls: 200, maxDepth: 20 };

/** The planner's phases, in the order they run (see `PlanTrace`). */
export type PlanPhase = 'index' | 'targets' | 'expansion' | 'steps' | 'graph' | 'ordering' | 'waves';

/**
 * Optional timing hook for benchmarks: the planner reads `clock` (milliseconds, e.g. `performance.now`) at
 * each phase boundary and reports the phase's duration. The planner stays pure: the clock is passed in.
 */
export interface PlanTrace {
  readonly clock: () => number;
  readonly record: (phase: PlanPhase, ms: number) => void;
}

export type PullReason = 'target' | 'dependent' | 'group';

export interface PlannedPull {
  readonly number: number;
  readonly title: string;
  readonly url: string | null;
  readonly author: string;
  readonly mergeCommitSha: string;
  /** `merge` when the merge commit has two parents, `squash` (or rebase) when it has one; absent when unknown. */
  readonly mergeMethodUsed?: 'merge' | 'squash';
  readonly mergedAt: string;
  readonly files: readonly string[];
  readonly reason: PullReason;
  /** `owner/repo#N` of the plan's PRs this one depends on (via Depends-On). */
  readonly dependsOn: readonly string[];
}

export interface PlannedCommit {
  readonly sha: string;
  readonly message: string;
  readonly committedAt: string;
  readonly parents: number;
  readonly files: readonly string[];
}

/** One `git revert` of the step, in the order to apply them (newest first). */
export interface PlannedRevert {
  readonly sha: string;
  /** 1 for merge commits (`git revert -m 1`), null otherwise. */
  readonly mainline: 1 | null;
  /** `owner/repo#N` or `owner/repo@sha`. */
  readonly source: string;
}

export interface PlannedCompensation {
  readonly id: string;
  readonly workflow: string;
  readonly ref: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly when: 'before_revert' | 'after_revert';
  readonly idempotencyKey: string;
  readonly timeout: string;
  readonly retry: { readonly attempts: number; readonly backoff: string; readonly maxBackoff: string };
  readonly onFailure: 'abort' | 'continue' | 'escalate';
}

export interface PlanStep {
  /** Deterministic key of the step within the plan: `owner/repo:service`. */
  readonly key: string;
  readonly repo: string;
  readonly service: string;
  /** `revert`: git-revert the PRs/commits (plus compensations around it). `compensate`: run compensations only. */
  readonly action: 'revert' | 'compensate';
  readonly group: string | null;
  readonly tier: string;
  readonly pulls: readonly PlannedPull[];
  readonly commits: readonly PlannedCommit[];
  readonly reverts: readonly PlannedRevert[];
  readonly changedFiles: readonly string[];
  readonly mergeMethod: MergeMethod;
  readonly waitForChecks: readonly string[];
  /** How long the revert PR's checks may stay pending (contract `revert.checks_timeout`). */
  readonly checksTimeout: string;
  readonly autoMerge: boolean;
  readonly labels: readonly string[];
  readonly owners: readonly string[];
  readonly compensations: readonly PlannedCompensation[];
}

export interface Wave {
  /** 0-based; wave 0 runs first. */
  readonly index: number;
  readonly steps: readonly PlanStep[];
}

export interface RollbackPlan {
  readonly version: 1;
  readonly plannedAt: string;
  readonly targets: readonly string[];
  readonly waves: readonly Wave[];
  readonly summary: {
    readonly waves: number;
    readonly steps: number;
    readonly repos: number;
    readonly pulls: number;
    readonly commits: number;
    readonly compensations: number;
  };
}

export interface PlanMessage {
  /** Stable machine code, e.g. `unknown_target`, `unmerged_link`, `cycle`. */
  readonly code: string;
  readonly message: string;
  /** `owner/repo#N`, `owner/repo@sha` or a service name, when the message is about one. */
  readonly subject?: string;
}

export interface PlanResult {
  /** null when there are errors: never act on a partial plan. */
  readonly plan: RollbackPlan | null;
  readonly warnings: readonly PlanMessage[];
  readonly errors: readonly PlanMessage[];
}
