/**
 * The policy input (version 1): what Unwind hands to `data.unwind.decision`.
 * This zod schema is the single source of the TS type and of `schemas/policy-input.schema.json`.
 */
import { z } from 'zod';

const login = z.string().min(1).describe('A GitHub login, e.g. "octocat".');
const repo = z
  .string()
  .regex(/^[^/\s]+\/[^/\s]+$/, 'expected "owner/repo"')
  .describe('A repository as "owner/repo".');
const rfc3339 = z.iso.datetime({ offset: true }).describe('An RFC 3339 UTC instant, e.g. "2024-05-01T22:15:00Z".');

export const POLICY_ACTIONS = ['rollback', 'approve', 'abort', 'retry', 'drill', 'auto', 'override'] as const;
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const permission = z.enum(['admin', 'write', 'read', 'none']);

const actor = z
  .strictObject({
    login,
    permission: permission.describe(
      "The actor's lowest permission over the repository where the command was given and every repository the plan touches (a public repository counts as readable by anyone).",
    ),
    permissions: z
      .record(repo, permission)
      .optional()
      .describe('The actor\'s permission on each of those repositories, e.g. {"acme/api": "write", "acme/billing": "read"}.'),
    teams: z.array(z.string()).describe('Slugs of the org teams the actor belongs to, e.g. ["sre"].'),
    is_bot: z.boolean().describe('True for bot accounts (including Unwind itself for automatic reverts).'),
  })
  .describe('Who asks for this action.');

const trigger = z
  .strictObject({
    kind: z.enum(['comment', 'auto', 'drill']).describe('comment: a /rollback command; auto: a failed post-merge check; drill: a rehearsal.'),
    reason: z.string().describe('The --reason / --override text, or the failed check for automatic reverts ("" when none).'),
    source: z
      .strictObject({
        repo,
        number: z.number().int().positive().optional().describe('The PR or issue number the command was given on (absent for checks).'),
        url: z.string().optional().describe('Link to the comment, PR or check run that triggered the action.'),
      })
      .describe('Where the trigger happened.'),
  })
  .describe('What triggered the action.');

const pr = z.strictObject({
  number: z.number().int().positive().describe('PR number in the step repository.'),
  title: z.string().describe('PR title.'),
  author: z.string().describe('Login of the PR author.'),
  merged_at: rfc3339.describe('When the PR was merged (RFC 3339).'),
  files: z.array(z.string()).describe('Paths the PR changed.'),
});

const step = z.strictObject({
  repo,
  service: z.string().describe('Service name from the dependency map.'),
  prs: z.array(pr).describe('PRs to revert in this repository, newest first.'),
  commits: z.array(z.string()).describe('Commit SHAs to revert (including those of the PRs).'),
  compensations: z.array(z.string()).describe('Ids of the compensating actions declared in the contract for this step.'),
  tier: z.string().optional().describe('Service tier if known from the map (e.g. "prod").'),
});

const plan = z
  .strictObject({
    waves: z
      .array(
        z.strictObject({
          index: z.number().int().nonnegative().describe('Wave number, 0 first.'),
          steps: z.array(step).describe('Steps of this wave, one per repository.'),
        }),
      )
      .describe('Waves in execution order (dependents first).'),
    repos: z.array(repo).describe('Every repository the plan touches (sorted).'),
    services: z.array(z.string()).describe('Every service the plan touches (sorted).'),
    changed_files: z.array(z.string()).describe('Every file the reverts change, as "owner/repo:path" (sorted).'),
  })
  .describe('The whole rollback plan.');

const approval = z.strictObject({
  login,
  teams: z.array(z.string()).describe('Team slugs of the approver.'),
  at: rfc3339.describe('When the approval was given.'),
});

const contract = z.strictObject({
  service: z.string().describe('The service this repository maps to.'),
  owners: z.array(z.string()).describe('Owners (logins or @org/team) named in the contract.'),
  tier: z.string().optional().describe('Tier declared by the contract (e.g. "prod").'),
  paused: z.boolean().describe('True when the contract pauses rollbacks of this repository.'),
  auto_merge: z.boolean().optional().describe('False when the contract forbids merging revert PRs automatically (default true).'),
});

export const PolicyInputSchema = z
  .strictObject({
    version: z.literal(1).describe('Input format version; always 1 for this schema.'),
    action: z.enum(POLICY_ACTIONS).describe('What is asked: rollback, approve, abort, retry, drill, auto (automatic revert) or override (an admin re-requests, waiving soft reasons).'),
    actor,
    trigger,
    rollback: z
      .strictObject({
        id: z.string().min(1).describe('The rollback id.'),
        requested_by: z.string().describe('Login of whoever requested the rollback (the Unwind bot for automatic ones).'),
      })
      .describe('The rollback this action belongs to.'),
    plan,
    approvals: z.array(approval).describe('Approvals given so far (all of them; the policy decides which count).'),
    time: z
      .strictObject({
        now: rfc3339.describe('The decision instant, UTC.'),
        weekday: z.enum(WEEKDAYS).describe('Weekday of `now` in UTC, Go names ("Monday").'),
        hour: z.number().int().min(0).max(23).describe('Hour of `now` in UTC, 0-23.'),
        ns: z
          .number()
          .refine((n) => Number.isInteger(n), 'expected an integer')
          .describe('`now` as an integer number of nanoseconds since the Unix epoch (like time.now_ns(); beyond 2^53, so exact to about 256 ns in JSON).'),
      })
      .describe('The time of the decision (policies should use this, not time.now_ns()).'),
    contracts: z.record(repo, contract).describe('Rollback contracts of the repositories in the plan, by "owner/repo".'),
    history: z
      .strictObject({
        auto_reverts_24h: z.strictObject({
          org: z.number().int().nonnegative().describe('Automatic reverts in the org in the last 24 hours.'),
          per_repo: z.record(repo, z.number().int().nonnegative()).describe('Automatic reverts in the last 24 hours by "owner/repo" (absent means 0).'),
        }),
      })
      .describe('Recent history, for caps.'),
    org: z
      .strictObject({
        paused: z.boolean().describe('True when the org config sets `paused` (kill switch).'),
        pause_issue: z
          .strictObject({ repo, number: z.number().int().positive(), url: z.string().optional() })
          .optional()
          .describe('An open issue labelled unwind:pause (kill switch), when there is one.'),
      })
      .describe('Org-wide state.'),
  })
  .describe('Unwind policy input, version 1: evaluated at data.unwind.decision.');

export type PolicyInput = z.infer<typeof PolicyInputSchema>;
export type PolicyAction = PolicyInput['action'];
