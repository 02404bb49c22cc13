/** Every webhook event/action the sandbox emits (pre-warmed in the contract checker at start-up). */
export const WEBHOOKS_EMITTED: Array<{ event: string; action?: string }> = [
  { event: 'issue_comment', action: 'created' },
  { event: 'issues', action: 'opened' },
  { event: 'issues', action: 'closed' },
  { event: 'issues', action: 'reopened' },
  { event: 'pull_request', action: 'opened' },
  { event: 'pull_request', action: 'synchronize' },
  { event: 'pull_request', action: 'closed' },
  { event: 'pull_request', action: 'reopened' },
  { event: 'pull_request_review', action: 'submitted' },
  { event: 'check_run', action: 'created' },
  { event: 'check_run', action: 'completed' },
  { event: 'check_suite', action: 'completed' },
  { event: 'workflow_run', action: 'requested' },
  { event: 'workflow_run', action: 'completed' },
  { event: 'status' },
  { event: 'push' },
];
