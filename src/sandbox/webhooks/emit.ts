/** Builds a webhook envelope (action, repository, organization, sender, installation), checks it, queues it. */
import type { SandboxContext } from '../context.ts';
import type { RepoState } from '../state/model.ts';
import { installationFor, installationSees } from '../auth/access.ts';
import { simpleInstallation } from '../objects/integration.ts';
import { repository } from '../objects/repository.ts';
import { simpleUser } from '../objects/simple-user.ts';
import { enc } from '../objects/urls.ts';

export interface EmitParams {
  event: string;
  action?: string;
  repo: RepoState;
  sender: string;
  payload: Record<string, unknown>;
}

export function organizationWebhook(ctx: SandboxContext, login: string): Record<string, unknown> | undefined {
  const acc = ctx.state.accounts[login];
  if (!acc || acc.type !== 'Organization') return undefined;
  const u = `${ctx.baseUrl}/orgs/${enc(login)}`;
  return {
    login,
    id: acc.id,
    node_id: Buffer.from(`0:O${acc.id}`).toString('base64').replace(/=+$/, ''),
    url: u,
    repos_url: `${u}/repos`,
    events_url: `${u}/events`,
    hooks_url: `${u}/hooks`,
    issues_url: `${u}/issues`,
    members_url: `${u}/members{/member}`,
    public_members_url: `${u}/public_members{/member}`,
    avatar_url: `${ctx.baseUrl}/avatars/u/${acc.id}?v=4`,
    description: null,
  };
}

/** Sends the event to the App if it is installed on the repo's account, sees the repo and subscribes to the event. */
export function emitWebhook(ctx: SandboxContext, p: EmitParams): void {
  const inst = installationFor(ctx, p.repo.owner);
  if (!inst || !installationSees(inst, p.repo)) return;
  if (inst.events.length > 0 && !inst.events.includes(p.event)) return;
  const sender = ctx.state.accounts[p.sender];
  if (!sender) throw new Error(`sandbox: webhook sender ${p.sender} does not exist`);
  const envelope: Record<string, unknown> = {};
  if (p.action !== undefined) envelope.action = p.action;
  Object.assign(envelope, p.payload);
  envelope.repository = repository(ctx, p.repo, { full: false });
  const org = organizationWebhook(ctx, p.repo.owner);
  if (org) envelope.organization = org;
  envelope.sender = simpleUser(ctx, sender);
  envelope.installation = simpleInstallation(inst);
  if (ctx.checker) {
    try {
      ctx.recordViolations(ctx.checker.checkWebhook(p.event, p.action, envelope));
    } catch (err) {
      ctx.recordViolations([{ kind: 'webhook', where: `webhook ${p.event}.${p.action ?? ''}`, message: `checker failed: ${String(err)}` }]);
    }
  }
  ctx.webhooks.enqueue({ event: p.event, action: p.action ?? null, installationId: inst.id, payload: envelope });
}
