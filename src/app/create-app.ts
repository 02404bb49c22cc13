/**
 * The Probot application: wires webhooks to use cases. This folder is the only place that imports
 * probot. Work after the 👀 reaction continues in the background so the webhook is answered fast.
 */
import { CheckSightings } from '../github/check-sightings.ts';
import { noteSighting } from './note-sighting.ts';
import type { ApplicationFunction, Context, Probot, ProbotOctokit } from 'probot';
import { isTransient } from '../github/errors.ts';
import { createOctokitPort } from '../github/octokit-adapter.ts';
import type { Logger } from '../shared/logger.ts';
import { listingOnce, type Clients, type InstallationClient } from './clients.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { handleComment } from './handle-comment.ts';
import { autoRevert, type FailedTrigger } from './auto-revert.ts';
import { Mutex } from '../shared/mutex.ts';
import { PolicySource } from './policy-source.ts';
import { UnwindMetrics } from './metrics.ts';
import { reconcile } from './reconcile.ts';
import { CONFIG_REPO, configRepoOf } from './plan-request.ts';
import { KnownMaps, learnMap } from '../config/known-maps.ts';
import { mapBounded } from '../shared/map-bounded.ts';
import { registryOf } from '../registry/registry-locks.ts';
import type { RegistryStore } from '../registry/registry-store.ts';
import { RecentRedeliveries, redeliverFailed, type DeliveryAttempt } from './redeliver-failed.ts';
import { RollbackRunner, errorText, type RunnerOptions } from './rollback-runner.ts';
import type { Keyring } from '../trust/keyring.ts';
import type { Trust } from '../trust/trust.ts';
import { LeaseKeeper } from '../registry/lease-keeper.ts';
import { parseRepo } from '../shared/repo-name.ts';
import { hostname } from 'node:os';
import { GOVERNANCE_EVENTS, registerVetoWindow } from './veto-window/register.ts';
import type { VetoWindows } from './veto-window/veto-windows.ts';
import { registerConfigCheck } from './config-check/register.ts';

/** Events that mean "something a waiting rollback may care about changed": they wake the loops. */
export const NUDGE_EVENTS = [
  'check_suite.completed',
  'check_run.completed',
  'status',
  'workflow_run.completed',
  'pull_request.closed',
  'pull_request.synchronize',
  'pull_request_review.submitted',
] as const;

/** Every webhook event the app handles (app.yml must subscribe to exactly these). */
export const SUBSCRIBED_EVENTS = [...new Set(['issue_comment', ...NUDGE_EVENTS.map((e) => e.split('.')[0]), ...GOVERNANCE_EVENTS])].sort();

/** Orgs whose map a reconciliation pass reads at most (the others' in the next passes). */
const MAPS_PER_PASS = 50;

export interface UnwindOptions {
  readonly workRoot: string;
  /** Signs what Unwind writes to GitHub and verifies it when read back (see src/trust/keyring.ts). */
  readonly keyring: Keyring;
  readonly pollMs?: number;
  /** See ExecutionDeps.ledgerIdleMs. */
  readonly ledgerIdleMs?: number;
  readonly concurrency?: number;
  /** Period of the reconciler; 0 disables the timer (it still runs once at start). */
  readonly reconcileMs?: number;
  readonly now?: () => Date;
  readonly beforeEffect?: RunnerOptions['beforeEffect'];
  readonly gitIdentity?: { name: string; email: string };
  /** How many recent rollbacks the "Unwind config" check replays under changed policies (default 50). */
  readonly impactRollbacks?: number;
  /**
   * This replica among several (see README, "Several replicas"): `id` must differ between replicas
   * and stay the same when one restarts (it takes its own leases back at once); a rollback whose
   * replica died is taken over after `leaseMs`. Defaults: the host name, 30 s.
   */
  readonly replica?: { readonly id?: string; readonly leaseMs?: number };
}

export const DEFAULT_LEASE_MS = 30_000;

export interface UnwindHandle {
  readonly appFn: ApplicationFunction;
  /** Resolves when no command is being handled and no rollback loop runs. */
  idle(): Promise<void>;
  /** Runs the reconciler now. */
  reconcile(): Promise<void>;
  stop(): Promise<void>;
  readonly ready: Promise<void>;
  /** Prometheus metrics of this instance (served at /metrics). */
  readonly metrics: UnwindMetrics;
  /** The installations' clients once the app is set up (the rollbacks page reads through them). */
  clients(): Clients | null;
  /** Unwind's identity and keys once the app is set up. */
  trust(): Trust | null;
}

export function createUnwind(opts: UnwindOptions): UnwindHandle {
  const background = new Set<Promise<void>>();
  const commandLocks = new Map<string, Mutex>();
  let runner: RollbackRunner | null = null;
  // What check_run and status webhooks announced: a revert PR merges on the one that turns its last check green.
  const sightings = new CheckSightings();
  // The map each org was last seen with: planning reads what it names while it reads the map (config/known-maps.ts).
  const knownMaps = new KnownMaps();
  const metOrgs = new Set<string>();
  let leases: LeaseKeeper | null = null;
  const repliesChecked = new Set<string>();
  const redelivered = new RecentRedeliveries();
  let lastRedelivery: number | null = null;
  // One registry store per installation and org, kept between passes: its ETag makes an unchanged registry free to read.
  const registries = new Map<string, RegistryStore>();
  const registryFor = (client: InstallationClient, org: string): RegistryStore => {
    const key = `${client.installationId}:${org}`.toLowerCase();
    let store = registries.get(key);
    if (!store) registries.set(key, (store = registryOf(client.port, (trusted as NonNullable<typeof trusted>).trust, configRepoOf(org))));
    return store;
  };
  let trusted: { trust: Trust; log: Logger; envFor: (client: InstallationClient, log: Logger) => CommandEnv } | null = null;
  let clients: Clients | null = null;
  let timer: NodeJS.Timeout | null = null;
  let vetoWindows: VetoWindows | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  // Commands and automatic reverts on one repository run one at a time: their rollbacks share state and ledger.
  const lockFor = (installationId: number, repo: { owner: string; repo: string }): Mutex => {
    const key = `${installationId}:${repo.owner}/${repo.repo}`.toLowerCase();
    let lock = commandLocks.get(key);
    if (!lock) commandLocks.set(key, (lock = new Mutex()));
    return lock;
  };
  const metrics = new UnwindMetrics(() => runner?.activeCount ?? 0);

  const appFn: ApplicationFunction = (app: Probot) => {
    const log = app.log as unknown as Logger;
    const policies = new PolicySource(log);
    policies.warm();
    const now = opts.now ?? (() => new Date());
    clients = probotClients(app);
    const track = (work: Promise<void>): void => {
      const p = work.catch((err: unknown) => log.error({ err: errorText(err) }, 'background work failed')).finally(() => background.delete(p));
      background.add(p);
    };
    // Veto windows of automatic reverts (issue 14): timers of windows kept on GitHub, and the label that cancels one.
    vetoWindows = registerVetoWindow(app, { clients: () => clients, envFor: async (client, l) => {
      // Setup's own first reconciliation calls this: waiting for setup there would wait forever.
      if (!trusted) await setup;
      return (trusted as NonNullable<typeof trusted>).envFor(client, l);
    }, lockFor, track, log, now });

    // Identify ourselves (the bot login), then start the runner and the reconciler.
    const setup = (async () => {
      const appOctokit = await app.auth();
      const { data } = await appOctokit.rest.apps.getAuthenticated();
      const botLogin = `${data?.slug ?? 'unwind'}[bot]`;
      const trust: Trust = { keyring: opts.keyring, botLogin };
      const envFor = (client: InstallationClient, eventLog: Logger): CommandEnv => ({ client, runner: runner as RollbackRunner, policies, trust, botLogin, now, log: eventLog, beforeEffect: opts.beforeEffect, metrics, workRoot: opts.workRoot, background: track, vetoWindows: vetoWindows ?? undefined, knownMaps });
      trusted = { trust, log, envFor };
      runner = new RollbackRunner({
        clients: clients as Clients,
        trust,
        log,
        now,
        workRoot: opts.workRoot,
        concurrency: opts.concurrency ?? 4,
        pollMs: opts.pollMs ?? 15_000,
        ledgerIdleMs: opts.ledgerIdleMs,
        gitIdentity: opts.gitIdentity ?? { name: botLogin, email: `${data?.id ?? 0}+${botLogin}@users.noreply.github.com` },
        beforeEffect: opts.beforeEffect,
        metrics,
        leases: (leases = new LeaseKeeper({ holder: opts.replica?.id ?? hostname(), leaseMs: opts.replica?.leaseMs ?? DEFAULT_LEASE_MS }, now, log)),
        registry: (client, configRepo) => registryFor(client, parseRepo(configRepo).owner),
        checks: sightings,
      });
      // A failed first reconciliation (GitHub down at start) must not keep the app from serving; the timer retries.
      await reconcileNow().catch((err: unknown) => log.warn({ err: errorText(err) }, 'reconciliation failed; will retry'));
      if (opts.reconcileMs) {
        timer = setInterval(() => track(reconcileNow()), opts.reconcileMs);
        timer.unref();
      }
      markReady();
      return { trust };
    })();
    setup.catch((err: unknown) => log.error({ err: errorText(err) }, 'Unwind failed to start'));

    const envFor = async (context: Context, client: InstallationClient): Promise<CommandEnv> => {
      await setup;
      return (trusted as NonNullable<typeof trusted>).envFor(client, context.log as unknown as Logger);
    };
    registerConfigCheck(app, { clients: () => clients as Clients, envFor, track, impactRollbacks: opts.impactRollbacks });

    app.on('issue_comment.created', async (context) => {
      const { comment, issue, repository, installation } = context.payload as Partial<typeof context.payload>;
      // A signed delivery that lacks what every issue_comment carries is answered, logged and ignored.
      if (!comment || !issue || !repository?.owner || !installation) return void context.log.warn({ delivery: context.id }, 'issue_comment without comment, issue, repository or installation: ignored');
      if (comment.user?.type === 'Bot' || comment.user?.login.endsWith('[bot]')) return;
      const client = await (clients as Clients).forInstallation(installation.id);
      const env = await envFor(context, client);
      const facts: CommentFacts = {
        repo: { owner: repository.owner.login, repo: repository.name },
        issueNumber: issue.number,
        isPullRequest: Boolean(issue.pull_request),
        issueUrl: issue.html_url,
        commentId: comment.id,
        commentUrl: comment.html_url,
        actor: comment.user?.login ?? 'ghost',
        actorIsBot: false,
        botLogin: env.botLogin,
      };
      const body = comment.body ?? '';
      // Durable intake: the delivery is answered once the command made its first durable write (the
      // tracking issue, the ledger entry, the reply). A crash before that leaves a failed delivery,
      // which the reconciler redelivers; long work (the rollback itself, a drill) goes on in the background.
      const work = lockFor(installation.id, facts.repo).run(() => withRetries(() => handleComment(env, facts, body), env));
      track(work);
      await work;
    });


    // A watched check, status or workflow failing after a merge: maybe an automatic revert.
    const onFailure = async (context: Context, trigger: Omit<FailedTrigger, 'repo'> | null): Promise<void> => {
      const payload = context.payload as { installation?: { id: number }; repository?: { name: string; owner: { login: string } } };
      if (!trigger || !payload.installation || !payload.repository) return;
      const client = await (clients as Clients).forInstallation(payload.installation.id);
      const env = await envFor(context, client);
      const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
      // Answered once handled (see issue_comment): a crash before it leaves a failed delivery to redeliver.
      const work = lockFor(payload.installation.id, repo).run(() =>
        withRetries(async () => {
          const outcome = await autoRevert(env, { ...trigger, repo });
          metrics.autoReverts.inc({ outcome: outcome.kind });
        }, env),
      );
      track(work);
      await work;
    };
    app.on('check_run.completed', (context) => {
      const run = context.payload.check_run as typeof context.payload.check_run | undefined;
      if (!run) return void context.log.warn({ delivery: context.id }, 'check_run without check_run: ignored');
      const failed = run.conclusion === 'failure' || run.conclusion === 'timed_out';
      return onFailure(context, failed ? { kind: 'check', name: run.name, sha: run.head_sha, branches: run.check_suite?.head_branch ? [run.check_suite.head_branch] : [], url: run.html_url ?? null } : null);
    });
    app.on('status', (context) => {
      const p = context.payload;
      if (typeof p.sha !== 'string' || !Array.isArray(p.branches)) return void context.log.warn({ delivery: context.id }, 'status without sha or branches: ignored');
      const failed = p.state === 'failure' || p.state === 'error';
      return onFailure(context, failed ? { kind: 'status', name: p.context, sha: p.sha, branches: p.branches.map((b) => b.name), url: p.target_url ?? null } : null);
    });
    app.on('workflow_run.completed', (context) => {
      const run = context.payload.workflow_run as typeof context.payload.workflow_run | undefined;
      if (!run) return void context.log.warn({ delivery: context.id }, 'workflow_run without workflow_run: ignored');
      // Post-merge runs only: a failed compensation (workflow_dispatch) or PR run is not a broken branch.
      const failed = (run.conclusion === 'failure' || run.conclusion === 'timed_out') && run.event === 'push';
      return onFailure(context, failed ? { kind: 'workflow', name: run.name ?? '', sha: run.head_sha, branches: run.head_branch ? [run.head_branch] : [], url: run.html_url } : null);
    });

    const nudge = async (context: Context): Promise<void> => {
      noteSighting(sightings, context.name, context.payload);
      await setup;
      // Only the loops with a step in the event's repository wake (every event of NUDGE_EVENTS names one).
      const repository = (context.payload as { repository?: { full_name?: unknown } }).repository;
      if (typeof repository?.full_name === 'string') runner?.nudgeRepo(repository.full_name);
      else runner?.nudgeAll();
    };
    app.on([...NUDGE_EVENTS], nudge);
    // A push to an org config repo's default branch may change its map: the copy planning starts from is read again.
    app.on('push', async (context) => {
      const { repository, installation, ref } = context.payload as Partial<typeof context.payload>;
      if (!repository?.owner || !installation || repository.name.toLowerCase() !== CONFIG_REPO || ref !== `refs/heads/${repository.default_branch}`) return;
      const client = await (clients as Clients).forInstallation(installation.id);
      const org = repository.owner.login;
      await learnMap(knownMaps, client.port, org, CONFIG_REPO).catch((err: unknown) => context.log.warn({ org, err: errorText(err) }, 'could not read the map after a push to the config repo'));
    });
    app.onAny((context) => void metrics.webhooks.inc({ event: context.name }));
  };

  async function reconcileNow(): Promise<void> {
    if (!runner || !clients || !trusted) return;
    const pass = listingOnce(clients);
    await reconcile({ clients: pass, runner, ...trusted, repliesChecked, now: opts.now ?? (() => new Date()), exclusive: (installationId, repo, work) => lockFor(installationId, repo).run(work), registry: registryFor });
    await vetoWindows?.reconcile(pass).catch((err: unknown) => trusted?.log.warn({ err: errorText(err) }, 'could not reconcile veto windows; will retry'));
    // An org met for the first time (at start, or newly installed): its map, for planning to start from. Once per
    // org and process (pushes to its config repo keep it current), a bounded number per pass.
    const unmet = (await pass.installations()).filter((i) => !metOrgs.has(i.account.toLowerCase())).slice(0, MAPS_PER_PASS);
    await mapBounded(unmet, 8, async (installation) => {
      metOrgs.add(installation.account.toLowerCase());
      const client = await pass.forInstallation(installation.id);
      await learnMap(knownMaps, client.port, installation.account, CONFIG_REPO).catch((err: unknown) => trusted?.log.warn({ org: installation.account, err: errorText(err) }, 'could not read the map; planning reads it first'));
    });
    // Commands whose delivery failed (Unwind died before answering) come back as redeliveries.
    const log = trusted.log;
    // The delivery list is long (six hours of the App's deliveries): read at start, then at most every REDELIVERY_PERIOD_MS.
    const at = Date.now();
    if (lastRedelivery !== null && at - lastRedelivery < REDELIVERY_PERIOD_MS) return;
    lastRedelivery = at;
    await redeliverFailed({ deliveries: clients.deliveries, now: (opts.now ?? (() => new Date()))(), log, recent: redelivered }).catch((err: unknown) => log.warn({ err: errorText(err) }, 'could not list or redeliver failed webhook deliveries'));
  }

  return {
    appFn,
    ready,
    async idle() {
      await ready;
      for (;;) {
        await Promise.all([...background]);
        await runner?.idle();
        if (background.size === 0) return;
      }
    },
    reconcile: reconcileNow,
    metrics,
    clients: () => clients,
    trust: () => trusted?.trust ?? null,
    async stop() {
      if (timer) clearInterval(timer);
      vetoWindows?.stop();
      await Promise.all([...background]);
      await runner?.stop();
      leases?.stop();
    },
  };
}

/**
 * Runs a command again after GitHub's 5xx or rate limits: every use case looks its effects up
 * before making them (the rollback id comes from the comment), so a second run continues the first.
 */
async function withRetries(work: () => Promise<void>, env: CommandEnv, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isTransient(err) || attempt >= attempts) throw err;
      env.log.warn({ err: errorText(err), attempt }, 'transient GitHub failure while handling a command; retrying');
      await new Promise((resolve) => setTimeout(resolve, 250 * 4 ** (attempt - 1)));
    }
  }
}

function probotClients(app: Probot): Clients {
  const forInstallation = async (installationId: number): Promise<InstallationClient> => {
    const octokit: ProbotOctokit = await app.auth(installationId);
    return {
      installationId,
      port: createOctokitPort(octokit),
      async token() {
        const auth = (await octokit.auth({ type: 'installation' })) as { token: string };
        return auth.token;
      },
    };
  };
  return {
    forInstallation,
    async installations() {
      const appOctokit = await app.auth();
      const installs = await appOctokit.paginate(appOctokit.rest.apps.listInstallations, { per_page: 100 });
      return installs.flatMap((inst) => (inst.account && 'login' in inst.account ? [{ id: inst.id, account: inst.account.login }] : []));
    },
    deliveries: {
      async list(since) {
        const appOctokit = await app.auth();
        const out: DeliveryAttempt[] = [];
        let pages = 0;
        for await (const { data } of appOctokit.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })) {
          for (const d of data) {
            if (Date.parse(d.delivered_at) < since.getTime()) return out;
            out.push({ id: d.id, guid: d.guid, deliveredAt: d.delivered_at, statusCode: d.status_code, event: d.event, action: d.action ?? null });
          }
          if (++pages >= MAX_DELIVERY_PAGES) break;
        }
        return out;
      },
      async redeliver(attemptId) {
        const appOctokit = await app.auth();
        await appOctokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: attemptId });
      },
    },
  };
}

/** Failed deliveries are looked for at start and then at most this often (a reconciler may run far more often). */
const REDELIVERY_PERIOD_MS = 15_000;

/** At most this many pages (of 100) of deliveries are read per pass. */
const MAX_DELIVERY_PAGES = 20;
