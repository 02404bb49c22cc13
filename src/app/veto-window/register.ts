/**
 * Wires the veto window into the app: the label `unwind:no-revert` added to a PR with an announced
 * automatic revert cancels it at once (the window's end would also see it), and the timers of open
 * windows are set again by every reconciliation.
 */
import type { Probot } from 'probot';
import type { Logger } from '../../shared/logger.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { cancelWindow } from './close-window.ts';
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
  return windows;
}
