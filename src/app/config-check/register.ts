/**
 * Webhooks of the config check: a pull request opened, updated or reopened, and a push to the default
 * branch, that touch a contract, the map or the policies. Answered once the check run is complete,
 * so a crash mid-check leaves a failed delivery that the reconciler redelivers.
 */
import type { Context, Probot } from 'probot';
import type { Logger } from '../../shared/logger.ts';
import type { Clients } from '../clients.ts';
import type { CommandEnv } from '../command-env.ts';
import type { InstallationClient } from '../clients.ts';
import { octokitChecksApi } from './checks-api.ts';
import { configChanges } from './config-paths.ts';
import { runConfigCheck } from './run-config-check.ts';

export interface ConfigCheckDeps {
  readonly clients: () => Clients;
  readonly envFor: (context: Context, client: InstallationClient) => Promise<CommandEnv>;
  /** Keeps the work in the app's background set (shutdown waits for it). */
  readonly track: (work: Promise<void>) => void;
  /** How many recent rollbacks the policy impact replays (default DEFAULT_IMPACT_ROLLBACKS). */
  readonly impactRollbacks?: number;
}

const ZERO_SHA = /^0+$/;

export function registerConfigCheck(app: Probot, deps: ConfigCheckDeps): void {
  app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
    const { pull_request: pr, repository, installation } = context.payload as Partial<typeof context.payload>;
    if (!pr || !repository?.owner || !installation) return void context.log.warn({ delivery: context.id }, 'pull_request without pull_request, repository or installation: ignored');
    const repo = { owner: repository.owner.login, repo: repository.name };
    const checks = octokitChecksApi(context.octokit);
    const changes = configChanges(repo.repo, await checks.listPullFiles(repo, pr.number));
    if (!changes) return;
    await check(context, installation.id, { repo, headSha: pr.head.sha, baseSha: pr.base.sha, changes, checks });
  });

  app.on('push', async (context) => {
    const { repository, installation, ref, after, before, commits } = context.payload as Partial<typeof context.payload>;
    if (!repository?.owner || !installation || typeof ref !== 'string' || typeof after !== 'string') return void context.log.warn({ delivery: context.id }, 'push without repository, installation, ref or after: ignored');
    // The default branch only (a PR's branch gets the check through its pull request), and not a deletion.
    if (ref !== `refs/heads/${repository.default_branch}` || ZERO_SHA.test(after)) return;
    const paths = (commits ?? []).flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
    const repo = { owner: repository.owner.login, repo: repository.name };
    const changes = configChanges(repo.repo, paths);
    if (!changes) return;
    const baseSha = typeof before === 'string' && !ZERO_SHA.test(before) ? before : null;
    await check(context, installation.id, { repo, headSha: after, baseSha, changes, checks: octokitChecksApi(context.octokit) });
  });

  // Checks of one commit run one at a time, so two deliveries of the same event at once (GitHub may
  // send a duplicate) find one check run to update rather than each creating one.
  const perCommit = new Map<string, Promise<void>>();
  const oneAtATime = (key: string, work: () => Promise<void>): Promise<void> => {
    const next = (perCommit.get(key) ?? Promise.resolve()).then(work, work);
    const tail = next.catch(() => undefined);
    perCommit.set(key, tail);
    void tail.then(() => perCommit.get(key) === tail && perCommit.delete(key));
    return next;
  };

  async function check(context: Context, installationId: number, c: { repo: { owner: string; repo: string }; headSha: string; baseSha: string | null; changes: NonNullable<ReturnType<typeof configChanges>>; checks: ReturnType<typeof octokitChecksApi> }): Promise<void> {
    const client = await deps.clients().forInstallation(installationId);
    const env = await deps.envFor(context, client);
    const log = (context.log as unknown as Logger).child({ repo: `${c.repo.owner}/${c.repo.repo}`, sha: c.headSha });
    const key = `${installationId}:${c.repo.owner}/${c.repo.repo}@${c.headSha}`.toLowerCase();
    const work = oneAtATime(key, async () => {
      const r = await runConfigCheck({ ...c, port: client.port, trust: env.trust, log, now: env.now(), impactRollbacks: deps.impactRollbacks });
      log.info({ conclusion: r.conclusion, title: r.title }, 'config check done');
    });
    deps.track(work);
    await work;
  }
}
