/** The sandbox's persistent state: plain JSON-serialisable records (git data lives in the bare repos). */
import type { AppPermissionLevel, CIScriptCheck, RepoPermission } from '../types.ts';

export type AccountType = 'User' | 'Organization' | 'Bot';

export interface AccountState {
  id: number;
  login: string;
  type: AccountType;
  name: string | null;
  email: string | null;
  createdAt: string;
  /** Organizations only: member login → role. */
  members?: Record<string, 'admin' | 'member'>;
}

export interface TeamState {
  id: number;
  org: string;
  slug: string;
  name: string;
  members: Record<string, 'member' | 'maintainer'>;
  /** full repo name → permission granted to the team */
  repos: Record<string, RepoPermission>;
}

export interface ProtectionState {
  requiredChecks: string[];
  strict: boolean;
  requiredApprovals: number;
  enforceAdmins: boolean;
}

export interface WorkflowState {
  id: number;
  file: string;
  name: string;
  result: 'success' | 'failure';
  /** Results of successive runs (the last one repeats); `result` when absent. */
  results?: Array<'success' | 'failure'>;
  delayMs: number;
  createdAt: string;
}

export interface LabelState {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  defaultBranch: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  allowMergeCommit: boolean;
  allowSquashMerge: boolean;
  allowRebaseMerge: boolean;
  deleteBranchOnMerge: boolean;
  collaborators: Record<string, RepoPermission>;
  nextNumber: number;
  labels: LabelState[];
  protection: Record<string, ProtectionState>;
  ci: CIScriptCheck[];
  workflows: WorkflowState[];
}

export interface InstallationState {
  id: number;
  account: string;
  repositorySelection: 'all' | 'selected';
  /** repo names (without owner) when selection is 'selected' */
  repositories: string[];
  permissions: Record<string, AppPermissionLevel>;
  events: string[];
  createdAt: string;
  updatedAt: string;
}

export interface TokenState {
  kind: 'installation' | 'user';
  installationId?: number;
  login?: string;
  permissions?: Record<string, AppPermissionLevel>;
  /** repo names the token is limited to (installation tokens); null = everything the installation can see */
  repositories?: string[] | null;
  expiresAt: string | null;
  createdAt: string;
}

export interface IssueState {
  id: number;
  repo: string; // owner/name
  number: number;
  title: string;
  body: string | null;
  user: string;
  viaApp: boolean;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'reopened' | 'not_planned' | null;
  labels: string[];
  assignees: string[];
  locked: boolean;
  isPull: boolean;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
}

export interface PullState {
  id: number;
  repo: string;
  number: number;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** base branch sha the current mergeability was computed against */
  baseSha: string;
  draft: boolean;
  maintainerCanModify: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  mergeable: boolean | null;
  rebaseable: boolean | null;
  /** head is behind base (base not an ancestor of head) */
  behind: boolean;
  nullReadsLeft: number;
  requestedReviewers: string[];
  requestedTeams: string[];
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  /** commits that reached the base through this PR's merge (merge commit + PR commits, squash or rebased commits) */
  landedShas?: string[];
}

export interface ReactionState {
  id: number;
  user: string;
  content: string;
  createdAt: string;
}

export interface CommentState {
  id: number;
  repo: string;
  issueNumber: number;
  user: string;
  viaApp: boolean;
  body: string;
  createdAt: string;
  updatedAt: string;
  reactions: ReactionState[];
}

export interface ReviewState {
  id: number;
  repo: string;
  pullNumber: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface StatusState {
  id: number;
  repo: string;
  sha: string;
  state: 'pending' | 'success' | 'failure' | 'error';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface CheckSuiteState {
  id: number;
  repo: string;
  headSha: string;
  headBranch: string | null;
  appId: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  before: string | null;
  after: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRunState {
  id: number;
  suiteId: number;
  repo: string;
  headSha: string;
  name: string;
  appId: number;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** Annotations added with `output.annotations` (GitHub appends those of every update; absent in older states). */
  annotations?: CheckAnnotationState[];
}

export interface CheckAnnotationState {
  path: string;
  startLine: number;
  endLine: number;
  startColumn: number | null;
  endColumn: number | null;
  level: 'notice' | 'warning' | 'failure';
  title: string | null;
  message: string;
  rawDetails: string | null;
}

export interface WorkflowRunState {
  id: number;
  repo: string;
  workflowId: number;
  name: string;
  event: string;
  headBranch: string | null;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  runNumber: number;
  actor: string;
  createdAt: string;
  updatedAt: string;
  runStartedAt: string;
}

/** One delivery attempt, as GitHub lists it under GET /app/hook/deliveries (one item per attempt). */
export interface DeliveryAttemptState {
  /** numeric id, unique per attempt (the guid is the delivery's `id`) */
  id: number;
  /** requested through sandbox.redeliver() or POST /app/hook/deliveries/{id}/attempts */
  redelivery: boolean;
  url: string;
  /** when the attempt started (ISO, seconds) */
  deliveredAt: string;
  durationMs: number;
  /** the receiver's HTTP status, 0 when no HTTP answer arrived */
  statusCode: number;
  /** GitHub's text: "OK", "Invalid HTTP Response: 500", "failed to connect to network", "timed out", … */
  status: string;
  response: { headers: Record<string, string> | null; body: string | null };
}

export interface StoredDelivery {
  /** the guid (X-GitHub-Delivery), shared by the first attempt and every redelivery */
  id: string;
  event: string;
  action: string | null;
  installationId: number | null;
  /** absent in state written before hook deliveries were recorded */
  repositoryId?: number | null;
  /** the exact body lives in `deliveries/<id>.json` (kept out of state.json, which is rewritten often) */
  status: number | 'dropped' | 'error' | 'pending';
  attempts: number;
  deliveredAt: string | null;
  durationMs: number;
  /** every attempt made on the wire, oldest first (absent in older state) */
  attemptLog?: DeliveryAttemptState[];
}

export interface SandboxState {
  version: 1;
  nextId: number;
  app: { id: number; slug: string; name: string; webhookSecret: string; ownerLogin: string; createdAt: string };
  webhookUrl: string | null;
  accounts: Record<string, AccountState>;
  teams: TeamState[];
  repos: Record<string, RepoState>;
  installations: InstallationState[];
  tokens: Record<string, TokenState>;
  issues: IssueState[];
  pulls: PullState[];
  comments: CommentState[];
  reviews: ReviewState[];
  statuses: StatusState[];
  checkSuites: CheckSuiteState[];
  checkRuns: CheckRunState[];
  workflowRuns: WorkflowRunState[];
  deliveries: StoredDelivery[];
}
