/** The embedded GitHub sandbox: `startSandbox()` wires state, auth, REST, git, webhooks and the driver. */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadOrCreateAppKey } from './auth/app-key.ts';
import { createContractChecker } from './contract/checker.ts';
import { defaultFaults, type SandboxContext } from './context.ts';
import { createDriver } from './driver.ts';
import { BareRepo } from './git/bare-repo.ts';
import { closeObjectReaders } from './git/object-reader.ts';
import { closeRefWriters } from './git/ref-writer.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import { createRouter } from './http/router.ts';
import { createRequestStats } from './http/request-stats.ts';
import { createFaultInjector } from './http/server-faults.ts';
import { allRoutes, routeTemplates } from './rest/routes.ts';
import { graphqlRoutes } from './graphql/routes.ts';
import { createSandboxServer } from './server.ts';
import { createJobTracker } from './services/job-tracker.ts';
import { refreshMergeability } from './services/mergeability.ts';
import { seedDemo } from './seed-demo.ts';
import { initialState } from './state/initial-state.ts';
import { loadState, openStore } from './state/store.ts';
import type { RequestHook, Sandbox, SandboxOptions, Violation } from './types.ts';
import { WEBHOOKS_EMITTED } from './webhooks/emitted.ts';
import { isKnownDeviation } from './known-deviations.ts';
import { createWebhookQueue } from './webhooks/queue.ts';

export type { Sandbox, SandboxDriver, SandboxOptions, Faults, DeliveryRecord, Violation, AppInfo, IncomingRequestInfo, RequestHook, RequestStats, RequestCounts } from './types.ts';
export type { PullState, IssueState, CommentState } from './state/model.ts';

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  mkdirSync(join(opts.dir, 'repos'), { recursive: true });
  const clock = opts.clock ?? (() => new Date());
  const loaded = loadState(opts.dir);
  const store = openStore(opts.dir, loaded ?? initialState(clock()));
  const state = store.state;
  const key = loadOrCreateAppKey(opts.dir);
  const strict = opts.strict ?? true;
  const checker = strict ? createContractChecker() : null;
  const violations: Violation[] = [];
  const repos = new Map<string, BareRepo>();
  const jobs = createJobTracker((name, err) => {
    if (!ctx.closing) process.emitWarning(`sandbox background job "${name}" failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  });
  const ctx: SandboxContext = {
    dir: opts.dir,
    state,
    save: () => store.save(),
    now: clock,
    baseUrl: 'http://127.0.0.1',
    app: {
      id: state.app.id,
      slug: state.app.slug,
      name: state.app.name,
      privateKeyPem: key.privateKeyPem,
      privateKeyPath: key.privateKeyPath,
      webhookSecret: state.app.webhookSecret,
    },
    publicKey: key.publicKey,
    git(repoKeyValue) {
      let r = repos.get(repoKeyValue);
      if (!r) {
        const repo = state.repos[repoKeyValue];
        if (!repo) throw new Error(`sandbox: unknown repository ${repoKeyValue}`);
        r = BareRepo.open(ctx.repoPath(repo));
        repos.set(repoKeyValue, r);
      }
      return r;
    },
    repoPath: (repo) => join(opts.dir, 'repos', repo.owner, `${repo.name}.git`),
    webhooks: createWebhookQueue(() => ctx),
    jobs,
    faults: defaultFaults(),
    checker,
    recordViolations(v) {
      violations.push(...v.filter((x) => !isKnownDeviation(x)));
    },
    graphqlOperations: new Map(),
    closing: false,
  };
  if (checker) {
    for (const op of routeTemplates()) {
      try {
        checker.warm({ operations: [op] });
      } catch (err) {
        violations.push({ kind: 'unknown-endpoint', where: `${op.method} ${op.path}`, message: `cannot warm: ${String(err)}` });
      }
    }
    try {
      checker.warm({ webhooks: WEBHOOKS_EMITTED });
    } catch (err) {
      violations.push({ kind: 'webhook', where: 'warm', message: String(err) });
    }
  }
  const limiter = createRateLimiter(() => ctx);
  const injector = createFaultInjector(() => ctx);
  const stats = createRequestStats();
  let requestHook: RequestHook | null = null;
  const server = createSandboxServer(ctx, { router: createRouter([...allRoutes, ...graphqlRoutes]), limiter, faults: injector, stats, requestHook: () => requestHook });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  ctx.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  if (opts.webhookUrl !== undefined) {
    state.webhookUrl = opts.webhookUrl;
    store.save();
  }
  const driver = createDriver(ctx, {
    onFaultsChanged() {
      limiter.resetFaults();
      injector.reset();
      ctx.webhooks.resetFaults();
    },
  });
  if (opts.seedDemo && !state.accounts.acme) await seedDemo(driver);
  for (const pull of state.pulls) if (!pull.merged && pull.mergeable === null) refreshMergeability(ctx, pull);
  let closed = false;
  return {
    get baseUrl() {
      return ctx.baseUrl;
    },
    app: ctx.app,
    driver,
    installationId(account) {
      const inst = state.installations.find((i) => i.account === account);
      if (!inst) throw new Error(`sandbox: the App is not installed on "${account}" (use driver.installApp)`);
      return inst.id;
    },
    setWebhookUrl(url) {
      state.webhookUrl = url;
      store.save();
    },
    violations: () => [...violations],
    deliveries: () => ctx.webhooks.records(),
    redeliver: (id) => ctx.webhooks.redeliver(id),
    onRequest(hook) {
      requestHook = hook;
    },
    requestStats: () => stats.snapshot(),
    graphqlOperations: () => Object.fromEntries(ctx.graphqlOperations),
    resetRequestStats: () => stats.reset(),
    idle: () => jobs.idle(),
    async close() {
      if (closed) return;
      closed = true;
      ctx.closing = true;
      jobs.cancelTimers();
      await jobs.idle();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.flush();
      closeObjectReaders(opts.dir);
      closeRefWriters(opts.dir);
    },
  };
}
