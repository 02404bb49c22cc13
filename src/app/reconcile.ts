/**
 * The reconciler: finds every unfinished rollback from its tracking issue alone and makes sure its
 * loop runs, so a lost webhook or a restart delays a rollback but never strands it.
 */
import { parseRepo } from '../shared/repo-name.ts';
import type { Clients } from './clients.ts';
import { listRollbacks } from './find-rollback.ts';
import type { RollbackRunner } from './rollback-runner.ts';

export async function reconcile(clients: Clients, runner: RollbackRunner): Promise<number> {
  let resumed = 0;
  for (const installation of await clients.installations()) {
    const client = await clients.forInstallation(installation.id);
    for (const name of installation.repos) {
      for (const { state } of await listRollbacks(client.port, parseRepo(name), 'open')) {
        if (state.status !== 'running' || runner.isRunning(state.id)) continue;
        runner.ensure(installation.id, { ...parseRepo(state.tracking.repo), number: state.tracking.number }, state.id, { resumed: true });
        resumed++;
      }
    }
  }
  runner.nudgeAll();
  return resumed;
}
