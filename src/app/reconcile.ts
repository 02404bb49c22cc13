/**
 * The reconciler: finds every unfinished rollback from its tracking issue alone and finishes what a
 * lost webhook or a restart left undone, so nothing acknowledged is stranded: running rollbacks get
 * their loop back, an approval recorded in the ledger but not yet acted on is acted on, and the
 * origin's link to the tracking issue is posted if it is missing. Tracking issues whose state Unwind
 * cannot trust are reported as tampering and never resumed.
 */
import type { FoundRollback } from './find-rollback.ts';
import type { Logger } from '../shared/logger.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { reportTampering } from '../trust/report-tampering.ts';
import type { Trust } from '../trust/trust.ts';
import { finishRecordedApprovals } from './approve-rollback.ts';
import type { Clients, InstallationClient } from './clients.ts';
import type { CommandEnv } from './command-env.ts';
import { scanTrackingIssues } from './find-rollback.ts';
import type { RollbackRunner } from './rollback-runner.ts';
import { ensureOriginReply } from './start-rollback.ts';
import { errorText } from './rollback-runner.ts';

export interface ReconcileParams {
  readonly clients: Clients;
  readonly runner: RollbackRunner;
  readonly trust: Trust;
  readonly log: Logger;
  readonly envFor: (client: InstallationClient, log: Logger) => CommandEnv;
  /** Runs work under the command lock of a repository (an approval being finished must not race a redelivered command). */
  readonly exclusive: <T>(installationId: number, repo: { owner: string; repo: string }, work: () => Promise<T>) => Promise<T>;
  /** Rollbacks whose origin reply this process has already checked (checked once per process). */
  readonly repliesChecked: Set<string>;
}

export async function reconcile(p: ReconcileParams): Promise<number> {
  const { clients, runner } = p;
  let resumed = 0;
  for (const installation of await clients.installations()) {
    const client = await clients.forInstallation(installation.id);
    for (const name of installation.repos) {
      const { found, rejected } = await scanTrackingIssues(client.port, parseRepo(name), p.trust, 'open');
      for (const { issue, why } of rejected) await reportTampering({ port: client.port, trust: p.trust, log: p.log, issue, why });
      for (const rollback of found) {
        if (runner.isRunning(rollback.state.id)) continue;
        // One rollback's trouble (GitHub errors, a stale state) must not hold back the others.
        if (await finishOne(p, client, rollback).catch((err: unknown) => void p.log.warn({ rollback: rollback.state.id, err: errorText(err) }, 'could not reconcile a rollback; will retry'))) resumed++;
      }
    }
  }
  runner.nudgeAll();
  return resumed;
}

async function finishOne(p: ReconcileParams, client: InstallationClient, { state }: FoundRollback): Promise<boolean> {
  const log = p.log.child({ rollback: state.id });
  const env = p.envFor(client, log);
  const where = { rollback: state.id, tracking: state.tracking.url, status: state.status, wave: Math.min(state.wave + 1, state.waveCount), waves: state.waveCount, seq: state.seq };
  if (!p.repliesChecked.has(state.id)) {
    await ensureOriginReply(env, state);
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
  p.runner.ensure(client.installationId, { ...parseRepo(state.tracking.repo), number: state.tracking.number }, state.id, { resumed: true });
  return true;
}
