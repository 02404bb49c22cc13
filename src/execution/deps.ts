/** What the saga needs from the outside world, injected by the app (or by tests). */
import type { RevertBranchRequest, RevertBranchResult } from '../git/revert-branch.ts';
import type { GitHubPort } from '../github/port.ts';
import type { Logger } from '../shared/logger.ts';
import type { Trust } from '../trust/trust.ts';
import type { Fence } from '../registry/fence.ts';
import type { CheckSightings } from '../github/check-sightings.ts';

export interface ExecutionDeps {
  readonly port: GitHubPort;
  /** Unwind's bot identity and keys: the state and ledger it writes are signed, and only what passes is read back. */
  readonly trust: Trust;
  /** Creates a revert branch with git (the installation token is fetched per call). */
  readonly revert: (req: Omit<RevertBranchRequest, 'token' | 'workRoot' | 'identity'>) => Promise<RevertBranchResult>;
  readonly now: () => Date;
  readonly log: Logger;
  /** Steps of one wave run concurrently up to this bound. */
  readonly concurrency: number;
  /** How long to wait for a nudge before polling GitHub again while checks run. */
  readonly pollMs: number;
  /**
   * How long the current wave must have been waiting before deferred wave entries are written
   * (default 3 s: about one of GitHub's paced comment slots, so the comment does not hold back the
   * merge that follows). Shorter in tests.
   */
  readonly ledgerIdleMs?: number;
  /**
   * Test hook, called at every boundary before its record is written: `step:<new state>` for step
   * transitions, `record:<ledger action>` for rollback-level entries. Throwing simulates a crash there.
   */
  readonly beforeEffect?: (point: string) => void;
  /**
   * The lease this run holds (several replicas): its epoch goes into the saved state, and a state
   * saved under a newer epoch means another replica drives the rollback now. Writes through `port`
   * and `revert` are already fenced by the app (src/registry/fence.ts).
   */
  readonly fence?: Fence;
  /** Check results GitHub's webhooks announced to this replica: a PR merges on the one that turns the last check green. */
  readonly checks?: CheckSightings;
}
