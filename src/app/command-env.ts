/** What every command use case receives: who asked, where, and the installation's clients. */
import type { RepoRef } from '../github/port.ts';
import type { Logger } from '../shared/logger.ts';
import type { InstallationClient } from './clients.ts';
import type { RollbackRunner } from './rollback-runner.ts';
import type { PolicySource } from './policy-source.ts';
import type { UnwindMetrics } from './metrics.ts';
import type { Trust } from '../trust/trust.ts';
import type { VetoWindows } from './veto-window/veto-windows.ts';
import type { KnownMaps } from '../config/known-maps.ts';

export interface CommandEnv {
  readonly client: InstallationClient;
  readonly runner: RollbackRunner;
  readonly policies: PolicySource;
  readonly botLogin: string;
  /** Unwind's identity and keys: what it reads back from GitHub counts only if it passes these. */
  readonly trust: Trust;
  readonly now: () => Date;
  readonly log: Logger;
  /** Crash-test hook at every recorded boundary (see ExecutionDeps.beforeEffect). */
  readonly beforeEffect?: (point: string) => void;
  readonly metrics?: UnwindMetrics;
  /** Scratch space for git work (drills copy repositories here). */
  readonly workRoot: string;
  /** Runs long work (a drill) outside the repository's command lock; the app still waits for it on shutdown. */
  readonly background?: (work: Promise<void>) => void;
  /** Timers of announced automatic reverts (absent: the reconciler finds open windows). */
  readonly vetoWindows?: VetoWindows;
  /** The map each org was last seen with: planning's reads start from it (absent: they wait for the map). */
  readonly knownMaps?: KnownMaps;
}

export interface CommentFacts {
  readonly repo: RepoRef;
  readonly issueNumber: number;
  readonly isPullRequest: boolean;
  readonly issueUrl: string;
  readonly commentId: number;
  readonly commentUrl: string;
  readonly actor: string;
  readonly actorIsBot: boolean;
  /** Unwind's own login (`<app slug>[bot]`): only its comments count as replies already made. */
  readonly botLogin: string;
}
