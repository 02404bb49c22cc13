/** `integration` (the App, or the GitHub Actions app) and `installation` objects. */
import type { SandboxContext } from '../context.ts';
import type { InstallationState } from '../state/model.ts';
import { ACTIONS_APP_ID } from '../state/initial-state.ts';
import { clientId } from '../auth/authenticate.ts';
import { simpleUser } from './simple-user.ts';
import { nodeId, enc } from './urls.ts';

const ACTIONS_PERMISSIONS = { actions: 'write', checks: 'write', contents: 'write', metadata: 'read', pull_requests: 'write', statuses: 'write' };

export function integration(ctx: SandboxContext, appId: number = ctx.app.id): Record<string, unknown> {
  const s = ctx.state;
  if (appId === ACTIONS_APP_ID) {
    return {
      id: ACTIONS_APP_ID,
      slug: 'github-actions',
      node_id: nodeId('A', ACTIONS_APP_ID),
      client_id: clientId(ACTIONS_APP_ID),
      owner: simpleUser(ctx, s.accounts.github),
      name: 'GitHub Actions',
      description: 'Automate your workflow from idea to production',
      external_url: `${ctx.baseUrl}/features/actions`,
      html_url: `${ctx.baseUrl}/apps/github-actions`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2024-04-10T20:33:16Z',
      permissions: ACTIONS_PERMISSIONS,
      events: ['check_run', 'check_suite', 'push', 'pull_request', 'workflow_dispatch'],
    };
  }
  return {
    id: s.app.id,
    slug: s.app.slug,
    node_id: nodeId('A', s.app.id),
    client_id: clientId(s.app.id),
    owner: simpleUser(ctx, s.accounts[s.app.ownerLogin]),
    name: s.app.name,
    description: 'Coordinated, audited rollbacks across many repositories (sandbox registration).',
    external_url: ctx.baseUrl,
    html_url: `${ctx.baseUrl}/apps/${enc(s.app.slug)}`,
    created_at: s.app.createdAt,
    updated_at: s.app.createdAt,
    permissions: appPermissions(ctx),
    events: appEvents(ctx),
    installations_count: s.installations.length,
  };
}

/** The App's registered permissions: the union of what installations granted (at least metadata:read). */
export function appPermissions(ctx: SandboxContext): Record<string, string> {
  const out: Record<string, string> = { metadata: 'read' };
  for (const inst of ctx.state.installations) {
    for (const [k, v] of Object.entries(inst.permissions)) if (out[k] !== 'write') out[k] = v;
  }
  return out;
}

function appEvents(ctx: SandboxContext): string[] {
  const set = new Set<string>();
  for (const inst of ctx.state.installations) for (const e of inst.events) set.add(e);
  return [...set].sort();
}

export function installation(ctx: SandboxContext, inst: InstallationState): Record<string, unknown> {
  const account = ctx.state.accounts[inst.account];
  return {
    id: inst.id,
    account: simpleUser(ctx, account),
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${ctx.baseUrl}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${ctx.baseUrl}/installation/repositories`,
    html_url: account.type === 'Organization'
      ? `${ctx.baseUrl}/organizations/${enc(account.login)}/settings/installations/${inst.id}`
      : `${ctx.baseUrl}/settings/installations/${inst.id}`,
    app_id: ctx.app.id,
    app_slug: ctx.app.slug,
    client_id: clientId(ctx.app.id),
    target_id: account.id,
    target_type: account.type,
    permissions: inst.permissions,
    events: inst.events,
    created_at: inst.createdAt,
    updated_at: inst.updatedAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function simpleInstallation(inst: InstallationState): { id: number; node_id: string } {
  return { id: inst.id, node_id: nodeId('MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u', inst.id) };
}
