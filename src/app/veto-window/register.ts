/**
 * Wires the veto window into the app: the label `unwind:no-revert` added to a PR with an announced
 * automatic revert cancels it at once (the window's end would also see it), so does its trigger
 * passing again at the branch's tip (a fix merged), and the timers of open windows are set again by
 * every reconciliation.
 */
import type { Context, Probot } from 'probot';
import type { Logger } from '../../shared/logger.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { cancelWindow } from './close-window.ts';
import { cancelIfFixed } from './decide-window.ts';
import { listPending, NO_REVERT_LABEL } from './pending-revert.ts';
import { VetoWindows, type VetoWindowDeps } from './veto-windows.ts';

/** Webhook events the veto window and the config check need beyond the rollback flow's (app.yml subscribes to them). */
export const GOVERNANCE_EVENTS = ['pull_request', 'push'] as const;

export function registerVetoWindow(app: Probot, deps: VetoWindowDeps): VetoWindows {
  const windows = new VetoWindows(deps);
  app.on('pull_request.labeled', async (context) => {
    const { pull_request: pr, repository, installation, label, sender } = context.payload as Partial<typeof context.payload>;
    if (label?.name !== NO_REVERT_LABEL || !pr || !repository?.owner || !installation) return;
    const clients = deps.clients();
    if (!clients) return;
    const client = await clients.forInstallation(installation.id);
    const log = (context.log as unknown as Logger).child({ repo: `${repository.owner.login}/${repository.name}`, pull: pr.number });
    const env = await deps.envFor(client, log);
    const repo = { owner: repository.owner.login, repo: repository.name };
    const work = deps.lockFor(installation.id, repo).run(async () => {
      const open = await listPending(client.port, { owner: repo.owner, repo: CONFIG_REPO }, env.trust, 'open');
      const mine = open.filter((p) => p.record.culprit.repo.toLowerCase() === `${repo.owner}/${repo.repo}`.toLowerCase() && p.record.culprit.number === pr.number);
      for (const found of mine) {
        const by = sender?.login ?? 'someone';
        await cancelWindow(env, found, { actor: by, via: 'label', why: `@${by} added the label ${NO_REVERT_LABEL}` });
        log.info({ rollback: found.record.id, by }, 'automatic revert cancelled by label');
      }
    });
    deps.track(work);
    await work;
  });
  // A trigger passing again on a repository with an open window: maybe a fix, which ends the window at once.
  const onSuccess = async (context: Context, p: { kind: 'check' | 'status' | 'workflow'; name: string; sha: string } | null): Promise<void> => {
    const { repository, installation } = context.payload as { repository?: { name: string; owner: { login: string } }; installation?: { id: number } };
    if (!p || !repository || !installation || !windows.watching(`${repository.owner.login}/${repository.name}`)) return;
    const clients = deps.clients();
    if (!clients) return;
    const client = await clients.forInstallation(installation.id);
    const env = await deps.envFor(client, (context.log as unknown as Logger).child({ repo: `${repository.owner.login}/${repository.name}` }));
    const repo = { owner: repository.owner.login, repo: repository.name };
    const work = deps.lockFor(installation.id, repo).run(async () => {
      const open = await listPending(client.port, { owner: repo.owner, repo: CONFIG_REPO }, env.trust, 'open');
      for (const found of open) {
        const t = found.record.trigger;
        if (found.record.culprit.repo.toLowerCase() !== `${repo.owner}/${repo.repo}`.toLowerCase() || t.kind !== p.kind || t.name !== p.name || t.sha === p.sha) continue;
        await cancelIfFixed(env, found);
      }
    });
    deps.track(work);
    await work;
  };
  app.on('check_run.completed', (context) => {
    const run = context.payload.check_run as typeof context.payload.check_run | undefined;
    return onSuccess(context, run?.conclusion === 'success' ? { kind: 'check', name: run.name, sha: run.head_sha } : null);
  });
  app.on('status', (context) => onSuccess(context, context.payload.state === 'success' && typeof context.payload.sha === 'string' ? { kind: 'status', name: context.payload.context, sha: context.payload.sha } : null));
  app.on('workflow_run.completed', (context) => {
    const run = context.payload.workflow_run as typeof context.payload.workflow_run | undefined;
    return onSuccess(context, run?.conclusion === 'success' && run.event === 'push' ? { kind: 'workflow', name: run.name ?? '', sha: run.head_sha } : null);
  });
  return windows;
}
