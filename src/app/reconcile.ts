/**
 * The reconciler: reads each org's rollback registry (one conditional request while nothing
 * changes, whatever the number of repositories) and finishes what a lost webhook or a restart left
 * undone, so nothing acknowledged is stranded: running rollbacks get their loop back, an approval
 * recorded in the ledger but not yet acted on is acted on, the origin's link to the tracking issue is
 * posted if missing, and locks of rollbacks that ended are released. A tracking issue whose state
 * Unwind cannot trust is reported as tampering and never resumed (its locks stay: fail closed).
 */
import { isActive, whereItStands } from '../execution/state.ts';
import { openTrackingState } from '../execution/tracking-issue.ts';
import { finishRollback } from '../registry/registry-locks.ts';
import { heldElsewhere } from '../registry/leases.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import type { Logger } from '../shared/logger.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { reportTampering } from '../trust/report-tampering.ts';
import type { Trust } from '../trust/trust.ts';
import { finishRecordedApprovals } from './approve-rollback.ts';
import type { Clients, InstallationClient } from './clients.ts';
import type { CommandEnv } from './command-env.ts';
import type { RollbackRunner } from './rollback-runner.ts';
import { errorText } from './rollback-runner.ts';
import { ensureOriginReply } from './start-rollback.ts';
import type { RollbackState } from '../execution/state.ts';

/** Locks taken for a rollback whose tracking issue never appeared (its command failed for good) are released after this long. */
export const UNTRACKED_LOCK_MS = 60 * 60_000;

export interface ReconcileParams {
  readonly clients: Clients;
  readonly runner: RollbackRunner;
  readonly trust: Trust;
  readonly log: Logger;
  readonly now: () => Date;
  readonly envFor: (client: InstallationClient, log: Logger) => CommandEnv;
  /** Runs work under the command lock of a repository (an approval being finished must not race a redelivered command). */
  readonly exclusive: <T>(installationId: number, repo: { owner: string; repo: string }, work: () => Promise<T>) => Promise<T>;
  /** The registry of an org, kept between passes (its ETag makes an unchanged registry free to read). */
  readonly registry: (client: InstallationClient, org: string) => RegistryStore;
  /** Rollbacks whose origin reply this process has already checked (checked once per process). */
  readonly repliesChecked: Set<string>;
}

export async function reconcile(p: ReconcileParams): Promise<number> {
  let resumed = 0;
  for (const installation of await p.clients.installations()) {
    const client = await p.clients.forInstallation(installation.id);
    const registry = p.registry(client, installation.account);
    const doc = await registry.read();
    for (const [id, entry] of Object.entries(doc.rollbacks)) {
      // Driven here, or by another replica whose lease is live: nothing to do.
      if (p.runner.isRunning(id) || heldElsewhere(doc, id, p.runner.replicaId, p.now())) continue;
      // One rollback's trouble (GitHub errors, a stale state) must not hold back the others.
      const outcome = await (async () => {
        if (!entry.tracking) {
          if (p.now().getTime() - Date.parse(entry.since) < UNTRACKED_LOCK_MS) return false;
          p.log.warn({ rollback: id, since: entry.since }, 'releasing the locks of a rollback whose tracking issue never appeared');
          await finishRollback(registry, { id, status: 'abandoned', now: p.now() });
          return false;
        }
        const issue = await client.port.getIssue(parseRepo(entry.tracking.repo), entry.tracking.number);
        const opened = issue ? openTrackingState(issue, p.trust) : { ok: false as const, why: 'the tracking issue is gone' };
        if (!opened.ok) {
          if (issue) await reportTampering({ port: client.port, trust: p.trust, log: p.log, issue, why: opened.why });
          else p.log.warn({ rollback: id, tracking: entry.tracking.url }, 'a registered rollback has no tracking issue; its locks stay until a person looks');
          return false;
        }
        if (!isActive(opened.state)) {
          p.log.info({ rollback: id, status: opened.state.status }, 'releasing the locks of a rollback that ended');
          await finishRollback(registry, { id, status: opened.state.status, now: p.now() });
          return false;
        }
        return finishOne(p, client, opened.state);
      })().catch((err: unknown) => void p.log.warn({ rollback: id, err: errorText(err) }, 'could not reconcile a rollback; will retry'));
      if (outcome) resumed++;
    }
  }
  p.runner.nudgeAll();
  return resumed;
}

async function finishOne(p: ReconcileParams, client: InstallationClient, state: RollbackState): Promise<boolean> {
  const log = p.log.child({ rollback: state.id });
  const env = p.envFor(client, log);
  const where = whereItStands(state);
  if (!p.repliesChecked.has(state.id)) {
    // Under the origin's command lock: a redelivered command resuming this rollback checks and posts the same reply.
    await p.exclusive(client.installationId, parseRepo(state.origin.repo), () => ensureOriginReply(env, state));
    p.repliesChecked.add(state.id);
  }
  if (state.status === 'awaiting_approval') {
    const trackingRepo = parseRepo(state.tracking.repo);
    if (!(await p.exclusive(client.installationId, trackingRepo, () => finishRecordedApprovals(env, state)))) return false;
    log.info(where, 'resumed a rollback whose approval was recorded but not acted on');
    return true;
  }
  if (state.status !== 'running') return false;
  log.info(where, 'resuming a running rollback');
  p.runner.ensure(client.installationId, state, { resumed: true });
  return true;
}
