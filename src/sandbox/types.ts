/** Public types of the embedded GitHub sandbox (see index.ts for the entry point). */
import type { IssueState, PullState, CommentState } from './state/model.ts';

export interface Violation {
  kind: 'request' | 'response' | 'webhook' | 'unknown-endpoint';
  where: string;
  message: string;
}

export interface SandboxOptions {
  dir: string;
  port?: number;
  strict?: boolean;
  webhookUrl?: string | null;
  seedDemo?: boolean;
  clock?: () => Date;
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  privateKeyPem: string;
  privateKeyPath: string;
  webhookSecret: string;
}

export interface DeliveryRecord {
  id: string;
  event: string;
  action: string | null;
  status: number | 'dropped' | 'error' | 'pending';
  attempts: number;
  deliveredAt: string | null;
  durationMs: number;
}

export interface Faults {
  latencyMs: number;
  errorRate5xx: number;
  error5xxEvery: number;
  primaryRateLimit: { afterRequests: number; resetInSeconds: number } | null;
  secondaryRateLimit: { every: number; retryAfterSeconds: number } | null;
  mergeableNullReads: number;
  /** `timeoutMs`: how long a receiver may take to answer before the attempt is "timed out" (GitHub: 10 000). */
  webhooks: { duplicate?: boolean; reorder?: boolean; dropEvery?: number; delayMs?: number; timeoutMs?: number };
  seed: number;
}

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read';
export type AppPermissionLevel = 'read' | 'write';

export interface CIScriptCheck {
  name: string;
  via?: 'check_run' | 'status';
  result: 'success' | 'failure';
  delayMs?: number;
}

export interface SandboxDriver {
  createOrg(login: string): Promise<void>;
  createUser(login: string, opts?: { name?: string; email?: string }): Promise<{ login: string; token: string }>;
  createTeam(org: string, slug: string, members: string[], maintainers?: string[]): Promise<void>;
  addCollaborator(owner: string, repo: string, login: string, permission: RepoPermission): Promise<void>;
  createRepo(
    owner: string,
    name: string,
    opts?: {
      defaultBranch?: string;
      files?: Record<string, string>;
      allowMergeCommit?: boolean;
      allowSquashMerge?: boolean;
      allowRebaseMerge?: boolean;
      private?: boolean;
    },
  ): Promise<{ cloneUrl: string }>;
  /**
   * Many repositories at once, for seeding big orgs (benchmarks): each is a real bare repository with
   * one initial commit, but the commit is written once and the repositories are copies of it, so all
   * share the same tree, author, date and sha. Throws before creating any if a name is taken or invalid.
   */
  createRepos(owner: string, names: readonly string[], opts?: { files?: Record<string, string>; private?: boolean }): Promise<void>;
  installApp(
    account: string,
    opts?: { repositories?: string[] | 'all'; permissions?: Record<string, AppPermissionLevel>; events?: string[] },
  ): Promise<number>;
  commit(owner: string, repo: string, p: { branch: string; files: Record<string, string | Buffer | null>; message: string; author?: string }): Promise<string>;
  openPull(as: string, owner: string, repo: string, p: { head: string; base?: string; title: string; body?: string; draft?: boolean }): Promise<number>;
  review(as: string, owner: string, repo: string, n: number, event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT', body?: string): Promise<void>;
  mergePull(as: string, owner: string, repo: string, n: number, method?: 'merge' | 'squash' | 'rebase'): Promise<string>;
  comment(as: string, owner: string, repo: string, issueNumber: number, body: string): Promise<number>;
  createIssue(as: string, owner: string, repo: string, p: { title: string; body?: string; labels?: string[] }): Promise<number>;
  /** Adds labels to an issue or PR as `as` (sends `labeled` webhooks for new ones). */
  addLabels(as: string, owner: string, repo: string, issueNumber: number, labels: string[]): Promise<void>;
  setProtection(owner: string, repo: string, branch: string, p: { requiredChecks: string[]; strict?: boolean; requiredApprovals?: number } | null): Promise<void>;
  setCI(owner: string, repo: string, checks: CIScriptCheck[]): Promise<void>;
  /** Scripts a workflow: each dispatched run concludes with `result` (or the next of `results`, the last repeating) after `delayMs`. */
  setWorkflow(owner: string, repo: string, file: string, p: { result: 'success' | 'failure'; results?: Array<'success' | 'failure'>; delayMs?: number; name?: string } | null): Promise<void>;
  reportCheck(owner: string, repo: string, sha: string, p: { name: string; via?: 'check_run' | 'status'; result: 'success' | 'failure' | 'pending' }): Promise<void>;
  setFaults(f: Partial<Faults>): void;
  getPull(owner: string, repo: string, n: number): PullState;
  listPulls(owner: string, repo: string): PullState[];
  getIssue(owner: string, repo: string, n: number): IssueState;
  listComments(owner: string, repo: string, n: number): CommentState[];
  repoPath(owner: string, repo: string): string;
}

/** An HTTP request the sandbox is about to handle (REST or git smart HTTP). */
export interface IncomingRequestInfo {
  method: string;
  /** pathname as sent, without query and without the `/api/v3` prefix: `/repos/o/r/issues`, `/o/r.git/git-receive-pack` */
  path: string;
  /** login behind the token: a user's login, `<app slug>[bot]` for installation tokens; null for JWTs, anonymous or unknown tokens */
  actor: string | null;
}

export type RequestHook = (req: IncomingRequestInfo) => void | Promise<void>;

export interface RequestCounts {
  /** REST requests answered (git smart HTTP is not counted) */
  total: number;
  /** those that moved `x-ratelimit-used`: all but 304s to authorized requests and requests failed by an injected 5xx */
  counted: number;
  /** 304 Not Modified answers (conditional GETs whose `If-None-Match` matched) */
  notModified: number;
}

export interface RequestStats extends RequestCounts {
  /** per route, keyed `METHOD /template` (e.g. `GET /repos/{owner}/{repo}/contents/{path}`) or `METHOD (unmatched)` */
  byRoute: Record<string, RequestCounts>;
}

export interface Sandbox {
  readonly baseUrl: string;
  readonly app: AppInfo;
  readonly driver: SandboxDriver;
  installationId(account: string): number;
  setWebhookUrl(url: string | null): void;
  violations(): Violation[];
  deliveries(): DeliveryRecord[];
  redeliver(deliveryId: string): Promise<void>;
  /**
   * Calls `hook` for every HTTP request (REST and git) before it is handled and awaits it, so a test can act
   * at an exact moment; the request then proceeds (a throwing hook answers it with 500). `null` removes it.
   */
  onRequest(hook: RequestHook | null): void;
  /** REST request counts since start or since the last `resetRequestStats()` (a copy). */
  requestStats(): RequestStats;
  resetRequestStats(): void;
  /** GraphQL operations served since start, by `<query|mutation> <operation name>` (a copy). */
  graphqlOperations(): Record<string, number>;
  idle(): Promise<void>;
  close(): Promise<void>;
}
