/**
 * The rollback contract `.github/unwind.yml` (SPEC §2.1). This zod schema is the single source of the
 * `Contract` type and of `schemas/contract.schema.json` (see write-schemas.ts).
 * Every field has a description; every optional field has a default, so an empty file is valid.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from './duration.ts';
import { NO_UNSAFE_CHARACTERS } from './unsafe-text.ts';

const duration = (description: string, fallback: string) =>
  z.string().meta({ pattern: DURATION_PATTERN, description: `${description} A duration such as \`90s\`, \`15m\`, \`1h30m\` or \`2d\`.` }).default(fallback);

const names = (description: string) => z.array(z.string().min(1)).describe(description).default([]);

export const RevertSchema = z
  .strictObject({
    merge_method: z.enum(['merge', 'squash', 'rebase']).describe('How Unwind merges its revert pull requests in this repo.').default('merge'),
    wait_for: names('Check-run names or commit-status contexts that must succeed on a revert PR before it is merged. Empty: the branch protection\'s required checks.'),
    checks_timeout: duration('How long to wait for `wait_for` checks on a revert PR before the step fails as `checks_failed`.', '30m'),
    auto_merge: z.boolean().describe('Merge the revert PR as soon as its checks pass (subject to policy). When false, a human merges it.').default(true),
    labels: names('Labels added to every revert PR opened in this repo.'),
  })
  .describe('How reverts are made and merged in this repo.');

export const AutoRevertSchema = z
  .strictObject({
    enabled: z.boolean().describe('Set to false to opt this repo out of automatic reverts.').default(true),
    checks: names('Check-run names or globs (e.g. `deploy/*`) whose failure on the default branch after a merge triggers an automatic revert.'),
    statuses: names('Commit-status contexts or globs whose failure triggers an automatic revert.'),
    workflows: names('GitHub Actions workflow names or globs whose failed run triggers an automatic revert.'),
    branches: names('Branches watched for failures. Empty: the default branch only.'),
    consecutive_failures: z.number().int().min(1).max(100).describe('How many consecutive failures of a trigger are needed before reverting.').default(1),
    max_culprit_age: duration('Never auto-revert a merge older than this.', '24h'),
    grace: duration(
      'Veto window: Unwind first comments on the culprit PR what it will revert, why and when, and waits this long; `/rollback cancel` (by the PR author or anyone with write access), the label `unwind:no-revert`, or the trigger turning green stops it. `0s`: revert at once.',
      '0s',
    ),
    no_revert_marker: z
      .string()
      .max(100)
      .regex(NO_UNSAFE_CHARACTERS)
      .describe('Text that, in a PR body, exempts that PR from automatic reverts (like the label `unwind:no-revert`); manual `/rollback` still works. Empty: only the label.')
      .default(''),
  })
  .describe('Automatic revert when a named post-merge check fails. Nothing triggers until at least one of checks/statuses/workflows is set.');

export const RetrySchema = z
  .strictObject({
    attempts: z.number().int().min(0).max(20).describe('Retries after the first failed attempt (0: no retry).').default(2),
    backoff: duration('Delay before the first retry; doubles on every further retry.', '30s'),
    max_backoff: duration('Upper bound of the delay between retries.', '10m'),
  })
  .describe('Retry policy of a compensation.');

export const CompensationSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/).describe('Identifier of the compensation, unique in the contract (lowercase letters, digits, `-`, `_`). Required.'),
    workflow: z.string().min(1).describe('Workflow file dispatched to compensate, as a path like `.github/workflows/flag-off.yml`. Required.'),
    ref: z.string().describe('Git ref the workflow is dispatched on. Empty: the default branch.').default(''),
    inputs: z.record(z.string(), z.string()).describe('Inputs passed to the workflow_dispatch event (strings).').default({}),
    when: z.enum(['before_revert', 'after_revert']).describe('Run it before or after the git revert of this repo.').default('before_revert'),
    idempotency_key: z
      .string()
      .min(1)
      .describe('Key that makes re-running the compensation safe; `{rollback_id}`, `{repo}` and `{id}` are substituted.')
      .default('{rollback_id}:{repo}:{id}'),
    timeout: duration('How long one attempt may run before it counts as failed.', '15m'),
    retry: RetrySchema.default({ attempts: 2, backoff: '30s', max_backoff: '10m' }),
    on_failure: z
      .enum(['abort', 'continue', 'escalate'])
      .describe('What a failure means: `abort` stops the rollback, `continue` records it and goes on, `escalate` pauses for a human.')
      .default('abort'),
  })
  .describe('A compensating action for what a git revert cannot undo (e.g. turn a feature flag off, run a down-migration).');

export const ContractSchema = z
  .strictObject({
    service: z
      .string()
      .regex(NO_UNSAFE_CHARACTERS)
      .describe('Name of the service this repo is in the dependency map, without control or bidirectional formatting characters. Empty: looked up by repo in the map.')
      .default(''),
    owners: names('GitHub logins or `@org/team` slugs to mention when a rollback of this repo needs attention.'),
    paused: z
      .boolean()
      .describe('When true, automatic reverts of this repo are off, and the governance policy is told so: the shipped policy refuses rollbacks of it unless an admin overrides (`--override "why"`).')
      .default(false),
    revert: RevertSchema.default({ merge_method: 'merge', wait_for: [], checks_timeout: '30m', auto_merge: true, labels: [] }),
    auto_revert: AutoRevertSchema.default({
      enabled: true,
      checks: [],
      statuses: [],
      workflows: [],
      branches: [],
      consecutive_failures: 1,
      max_culprit_age: '24h',
      grace: '0s',
      no_revert_marker: '',
    }),
    compensations: z.array(CompensationSchema).describe('Compensating steps that git cannot undo, run in the declared order around the revert.').default([]),
  })
  .describe('Unwind rollback contract (.github/unwind.yml): how this repo is rolled back. Org defaults merge in through `_extends`.');

export type Contract = z.output<typeof ContractSchema>;
export type Compensation = z.output<typeof CompensationSchema>;
export type ContractInput = z.input<typeof ContractSchema>;

/** The contract of a repo without a `.github/unwind.yml`. */
export function defaultContract(): Contract {
  return ContractSchema.parse({});
}
