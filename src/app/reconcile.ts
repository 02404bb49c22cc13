/**
 * The reconciler: finds every unfinished rollback from its tracking issue alone and makes sure its
 * loop runs, so a lost webhook or a restart delays a rollback but never strands it. Tracking issues
 * whose state Unwind cannot trust are reported as tampering and never resumed.
 */
import type { Logger } from '../shared/logger.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { reportTampering } from '../trust/report-tampering.ts';
import type { Trust } from '../trust/trust.ts';
import type { Clients } from './clients.ts';
import { scanTrackingIssues } from './find-rollback.ts';
import type { RollbackRunner } from './rollback-runner.ts';

export async function reconcile(p: { clients: Clients; runner: RollbackRunner; trust: Trust; log: Logger }): Promise<number> {
  const { clients, runner } = p;
  let resumed = 0;
  for (const installation of await clients.installations()) {
    const client = await clients.forInstallation(installation.id);
    for (const name of installation.repos) {
      const { found, rejected } = await scanTrackingIssues(client.port, parseRepo(name), p.trust, 'open');
      for (const { issue, why } of rejected) await reportTampering({ port: client.port, trust: p.trust, log: p.log, issue, why });
      for (const { state } of found) {
        if (state.status !== 'running' || runner.isRunning(state.id)) continue;
        runner.ensure(installation.id, { ...parseRepo(state.tracking.repo), number: state.tracking.number }, state.id, { resumed: true });
        resumed++;
      }
    }
  }
  runner.nudgeAll();
  return resumed;
}
