/** Installs (or reconfigures) the App on an account. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import { isoSeconds } from '../state/initial-state.ts';
import type { AppPermissionLevel } from '../types.ts';

export const DEFAULT_PERMISSIONS: Record<string, AppPermissionLevel> = {
  actions: 'write',
  administration: 'read',
  checks: 'write',
  contents: 'write',
  issues: 'write',
  members: 'read',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'write',
};

export const ALL_EVENTS = [
  'check_run',
  'check_suite',
  'issue_comment',
  'issues',
  'pull_request',
  'pull_request_review',
  'push',
  'status',
  'workflow_run',
];

export function installApp(
  ctx: SandboxContext,
  account: string,
  opts: { repositories?: string[] | 'all'; permissions?: Record<string, AppPermissionLevel>; events?: string[] },
): number {
  const acc = ctx.state.accounts[account];
  if (!acc || acc.type === 'Bot') throw new Error(`sandbox driver: cannot install the App on "${account}" (no such user or organization)`);
  const at = isoSeconds(ctx.now());
  const selection = opts.repositories === undefined || opts.repositories === 'all' ? 'all' : 'selected';
  const repositories = Array.isArray(opts.repositories) ? [...opts.repositories] : [];
  const permissions = { ...(opts.permissions ?? DEFAULT_PERMISSIONS), metadata: 'read' as const };
  const events = [...(opts.events ?? ALL_EVENTS)];
  const existing = ctx.state.installations.find((i) => i.account === account);
  if (existing) {
    Object.assign(existing, { repositorySelection: selection, repositories, permissions, events, updatedAt: at });
    ctx.save();
    return existing.id;
  }
  const id = nextId(ctx);
  ctx.state.installations.push({ id, account, repositorySelection: selection, repositories, permissions, events, createdAt: at, updatedAt: at });
  ctx.save();
  return id;
}
