/** The fields of GitHub's REST objects that the adapter reads (a subset of `@octokit/openapi-types`). */
export interface WireUser {
  login: string;
  type?: string;
}

export interface WireRepo {
  name: string;
  owner: WireUser;
  default_branch: string;
  clone_url: string;
  html_url: string;
  private?: boolean;
  visibility?: string;
  allow_merge_commit?: boolean;
  allow_squash_merge?: boolean;
  allow_rebase_merge?: boolean;
}

export interface WirePull {
  node_id?: string;
  number: number;
  title: string;
  body: string | null;
  state: string;
  merged?: boolean;
  merged_at: string | null;
  merge_commit_sha: string | null;
  head: { ref: string; sha: string };
  base: { ref: string; repo?: { name: string; owner: WireUser } | null };
  user: WireUser | null;
  html_url: string;
  mergeable?: boolean | null;
  mergeable_state?: string;
  labels?: Array<string | { name?: string }>;
}

export interface WireCommit {
  sha: string;
  parents: Array<{ sha: string }>;
  commit: { message: string; committer: { date?: string } | null; author: { date?: string } | null };
  author: WireUser | null;
  files?: Array<{ filename: string }>;
}

export interface WireIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: Array<string | { name?: string }>;
  html_url: string;
  pull_request?: unknown;
  updated_at?: string;
  user?: WireUser | null;
}

export interface WireComment {
  id: number;
  body?: string;
  user: WireUser | null;
  created_at: string;
  html_url: string;
}

export interface WireCheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at?: string | null;
  html_url?: string | null;
  details_url?: string | null;
}

export interface WireStatus {
  id: number;
  context: string;
  state: string;
  target_url: string | null;
  updated_at?: string;
}

export interface WireWorkflowRun {
  id: number;
  name?: string | null;
  path?: string;
  workflow_id?: number;
  status: string | null;
  conclusion: string | null;
  head_sha: string;
  html_url: string;
  created_at: string;
}

export interface WireContentEntry {
  name: string;
  path: string;
  type: string;
}
