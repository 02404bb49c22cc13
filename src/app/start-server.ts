/**
 * Runs Unwind as a real Probot HTTP server (signed webhooks at /api/github/webhooks), pointed at any
 * GitHub-compatible base URL: GitHub, GHES, or the embedded sandbox.
 */
import { REQUEST_TIMEOUT_MS, timedFetch } from '../github/timed-fetch.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { resendPlugin, type ResendOptions } from '../github/resend-plugin.ts';
import { createUnwind, type UnwindHandle, type UnwindOptions } from './create-app.ts';
import { listAllRollbacks, type ListedRollback } from './rollbacks-page.ts';
import { Dashboard } from './sign-in/dashboard.ts';
import type { DashboardSettings } from './sign-in/dashboard-settings.ts';
import { createLog } from './create-log.ts';
import type { DestinationStream } from 'pino';
import { Keyring } from '../trust/keyring.ts';
import { ConditionalCache } from '../github/pacing/conditional-cache.ts';
import { createPacing, type Pacing } from '../github/pacing/create-pacing.ts';
import type { PacingLimits } from '../github/pacing/limits.ts';
import { pacingPlugin } from '../github/pacing/octokit-pacing.ts';
import type { PacerStats } from '../github/pacing/pacer.ts';

export interface ServerParams extends Omit<UnwindOptions, 'keyring'> {
  /** Default: `UNWIND_STATE_KEYS` and the key derived from `privateKey` (see src/trust/keyring.ts). */
  readonly keyring?: Keyring;
  readonly appId: number;
  readonly privateKey: string;
  readonly webhookSecret: string;
  readonly baseUrl: string;
  readonly port?: number;
  /** Pacing by GitHub's published secondary limits (src/github/pacing); off only on the sandbox. */
  readonly throttle?: boolean;
  /** Share the pacing budget with every replica through Redis (`REDIS_URL`). */
  readonly redisUrl?: string;
  /** GitHub's published limits unless overridden (tests). */
  readonly pacingLimits?: Partial<PacingLimits>;
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  /** Where the log lines go (stdout when absent). */
  readonly logDestination?: DestinationStream;
  /** Base of Octokit's retry back-off for 5xx answers, in ms (default 250: retries after 0.25 s, 1 s, 2.25 s; the sandbox can go faster). */
  readonly retryBaseMs?: number;
  /** A fetch for Octokit (benchmarks count requests with it). */
  readonly fetch?: typeof fetch;
  /**
   * Who may read `/rollbacks` (see ./sign-in/). `unwind serve` always passes it (sign-in by default);
   * an embedding caller that leaves it out gets the page without sign-in, and the page says so.
   */
  readonly dashboard?: DashboardSettings;
}

export interface RunningServer {
  readonly url: string;
  readonly webhookUrl: string;
  readonly unwind: UnwindHandle;
  /** What pacing waited for and how many rate-limit answers it waited out (null: pacing off); 304s answered from the cache. */
  pacingStats(): { pacer: PacerStats | null; notModified: number };
  close(): Promise<void>;
}

export const WEBHOOK_PATH = '/api/github/webhooks';
export const METRICS_PATH = '/metrics';
export const ROLLBACKS_PATH = '/rollbacks';

/** `/metrics` (Prometheus) and `/rollbacks` (read-only HTML behind sign-in; the listing is cached briefly: it reads every org's registry). */
class OpsPages {
  private cached: { at: number; items: Promise<ListedRollback[]> } | null = null;
  private readonly dashboard: Dashboard;

  constructor(private readonly unwind: UnwindHandle, settings: DashboardSettings, warn: (message: string) => void) {
    this.dashboard = new Dashboard({ settings, list: () => this.list(), warn });
  }

  private list(): Promise<ListedRollback[]> {
    const clients = this.unwind.clients();
    const trust = this.unwind.trust();
    if (!clients || !trust) return Promise.resolve([]);
    if (!this.cached || Date.now() - this.cached.at > PAGE_CACHE_MS) {
      const items = listAllRollbacks(clients, trust);
      this.cached = { at: Date.now(), items };
      items.catch(() => (this.cached = null));
    }
    return this.cached.items;
  }

  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = new URL(req.url ?? '/', 'http://unwind.local').pathname;
    if (req.method !== 'GET' && !(req.method === 'POST' && path.startsWith(`${ROLLBACKS_PATH}/`))) return false;
    if (path === METRICS_PATH) {
      const registry = this.unwind.metrics.registry;
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
      return true;
    }
    if (path !== ROLLBACKS_PATH && !path.startsWith(`${ROLLBACKS_PATH}/`)) return false;
    if (!this.unwind.clients() || !this.unwind.trust()) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('Unwind is starting');
      return true;
    }
    return this.dashboard.serve(req, res);
  }
}

const PAGE_CACHE_MS = 5_000;
/** GitHub caps webhook payloads at 25 MB. */
const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/**
 * Reads a webhook POST's body before Probot does, so that a body that is too large or not JSON gets
 * a plain 4xx that says so (Probot then reads the text from `req.body`). Returns false when answered.
 */
async function readWebhookBody(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://unwind.local').pathname !== WEBHOOK_PATH) return true;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_WEBHOOK_BYTES) return refuse(res, 413, `the webhook body is larger than ${MAX_WEBHOOK_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    JSON.parse(text);
  } catch {
    return refuse(res, 400, 'the webhook body is not valid JSON');
  }
  (req as IncomingMessage & { body?: string }).body = text;
  return true;
}

function refuse(res: ServerResponse, status: number, error: string): false {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error }));
  return false;
}

/**
 * Octokit's retry waits base × n² before the n-th retry. Its default base (1 s) made one 502 cost a
 * command 1 s and two in a row 5 s: a quarter of that is still gentle on GitHub.
 */
const DEFAULT_RETRY_BASE_MS = 250;
/**
 * Answers a repeat cannot change, besides Octokit's own list: 405 (a merge refused; the loop decides
 * whether to try again) and 409 (a stale sha in a compare-and-swap; the writer must read again, and
 * Octokit's retries of the same body cost 14 s per conflict on the registry), and 429 (a rate limit, like
 * 403: the pacer waits as GitHub asks, where a retry would come after a quarter of a second).
 */
const NOT_RETRIED = [400, 401, 403, 404, 405, 409, 410, 422, 429, 451];

export async function startUnwindServer(p: ServerParams): Promise<RunningServer> {
  const log = createLog(p.logLevel ?? 'warn', p.logDestination);
  const pacing: Pacing | null = p.throttle === false ? null : createPacing({ baseUrl: p.baseUrl, log, ...(p.redisUrl ? { redisUrl: p.redisUrl } : {}), ...(p.pacingLimits ? { limits: p.pacingLimits } : {}) });
  const conditional = pacing?.conditional ?? new ConditionalCache();
  // Unwind paces by GitHub's published limits, so Octokit's fixed spacing is off either way. The function
  // form is the one that really disables throttling in Probot 14 (probot#2039). Answers worth sending again
  // (5xx) are sent again by resendPlugin, as Probot's retry plugin would, without its per-request limiter.
  const Octokit = ProbotOctokit.plugin(resendPlugin as never, pacingPlugin as never).defaults((o: Record<string, unknown>) => ({
    ...o,
    throttle: { ...(o.throttle as object), enabled: false },
    pacing: pacing?.pacer ?? null,
    conditional,
    retry: { ...(o.retry as object), enabled: false },
    resend: { baseMs: p.retryBaseMs ?? DEFAULT_RETRY_BASE_MS, doNotRetry: NOT_RETRIED } satisfies ResendOptions,
  }));
  const probot = new Probot({ appId: p.appId, privateKey: p.privateKey, secret: p.webhookSecret, baseUrl: p.baseUrl, Octokit, log, request: { fetch: timedFetch(p.fetch ?? fetch, REQUEST_TIMEOUT_MS) } });
  const unwind = createUnwind({ ...p, keyring: p.keyring ?? Keyring.forApp({ privateKeyPem: p.privateKey, configured: process.env.UNWIND_STATE_KEYS }) });
  const middleware = await createNodeMiddleware(unwind.appFn, { probot, webhooksPath: WEBHOOK_PATH });
  const pages = new OpsPages(unwind, p.dashboard ?? { auth: 'off' }, (message) => probot.log.warn(message));
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await pages.serve(req, res)) return;
      if (!(await readWebhookBody(req, res))) return;
      await middleware(req, res, () => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      });
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });
  await new Promise<void>((resolve) => server.listen(p.port ?? 0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    webhookUrl: `${url}${WEBHOOK_PATH}`,
    unwind,
    pacingStats: () => ({ pacer: pacing?.pacer.stats() ?? null, notModified: conditional.hits() }),
    async close() {
      await unwind.stop();
      await pacing?.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}
