/** The shared context every sandbox module works with: state, clock, repos, webhooks, jobs, faults. */
import type { KeyObject } from 'node:crypto';
import type { BareRepo } from './git/bare-repo.ts';
import type { RepoState, SandboxState } from './state/model.ts';
import type { AppInfo, Faults, Violation } from './types.ts';
import type { JobTracker } from './services/job-tracker.ts';
import type { WebhookQueue } from './webhooks/queue.ts';
import type { ContractChecker } from './contract/checker.ts';

export interface SandboxContext {
  readonly dir: string;
  readonly state: SandboxState;
  save(): void;
  now(): Date;
  baseUrl: string;
  readonly app: AppInfo;
  readonly publicKey: KeyObject;
  /** Bare repo handle of an existing repo (`owner/name`). */
  git(key: string): BareRepo;
  /** `${dir}/repos/${owner}/${name}.git` */
  repoPath(repo: Pick<RepoState, 'owner' | 'name'>): string;
  readonly webhooks: WebhookQueue;
  readonly jobs: JobTracker;
  faults: Faults;
  readonly checker: ContractChecker | null;
  recordViolations(v: Violation[]): void;
  /** GraphQL operations served, by `<query|mutation> <name>` (tests count mutations apart from reads). */
  readonly graphqlOperations: Map<string, number>;
  /** Sandbox is shutting down: background work should stop scheduling. */
  closing: boolean;
}

export function defaultFaults(): Faults {
  return {
    latencyMs: 0,
    errorRate5xx: 0,
    error5xxEvery: 0,
    primaryRateLimit: null,
    secondaryRateLimit: null,
    mergeableNullReads: 0,
    webhooks: {},
    seed: 1,
  };
}

export function nextId(ctx: { state: SandboxState }): number {
  ctx.state.nextId += 1;
  return ctx.state.nextId;
}
