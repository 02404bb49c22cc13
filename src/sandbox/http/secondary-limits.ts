/**
 * GitHub's published secondary rate limits, enforced in the sandbox's "realistic" mode (off by default):
 * per installation (or user, or client address) at most 100 concurrent requests, 900 REST points a minute
 * (GET/HEAD/OPTIONS 1, other methods 5), 2,000 GraphQL points a minute (a mutation 5, else 1), and 80
 * content-generating requests a minute and 500 an hour. An excess request is answered as GitHub does: 403
 * (or 429) with `retry-after` and the message GitHub sends, and has no effect. An optional fixed latency
 * per request stands for the network.
 *
 * The windows are sliding (the strictest reading of "per minute"): a request is refused when the requests
 * admitted in the last minute, plus this one, exceed the limit. `retry-after` says when enough of them will
 * have left the window. Tests shrink `minuteMs`/`hourMs` to reach the limits in seconds.
 *
 * Realistic mode is switched on per sandbox with `useRealisticLimits(sandbox, options)`; the server finds
 * its limiter by the sandbox's App record, the one object the public handle and the context share.
 */
import { githubSchema } from '../graphql/schema.ts';
import type { Actor } from './rest-types.ts';
import { HttpError } from './http-error.ts';

export interface SecondaryLimitOptions {
  readonly concurrency: number;
  readonly restPointsPerMinute: number;
  readonly graphqlPointsPerMinute: number;
  readonly contentPerMinute: number;
  readonly contentPerHour: number;
  /** Fixed delay before each request (REST and git) is handled, in ms. */
  readonly latencyMs: number;
  /** 403 or 429: GitHub documents both. */
  readonly status: 403 | 429;
  /** Length of "a minute" and "an hour" (tests shrink them). */
  readonly minuteMs: number;
  readonly hourMs: number;
}

/** docs.github.com, "About secondary rate limits" (REST and GraphQL). */
export const PUBLISHED_LIMITS: SecondaryLimitOptions = {
  concurrency: 100,
  restPointsPerMinute: 900,
  graphqlPointsPerMinute: 2000,
  contentPerMinute: 80,
  contentPerHour: 500,
  latencyMs: 0,
  status: 403,
  minuteMs: 60_000,
  hourMs: 3_600_000,
};

export type SecondaryLimitKind = 'concurrency' | 'rest-points' | 'graphql-points' | 'content-minute' | 'content-hour';

const DOCS_URL = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
/** The messages GitHub sends (its docs only say "an error message that indicates that you exceeded a secondary rate limit"). */
const GENERAL_MESSAGE = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
const CONTENT_MESSAGE = 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.';

export interface RequestCost {
  readonly points: number;
  readonly graphql: boolean;
  readonly content: boolean;
}

/**
 * What a request costs. Content-generating (decided here, see src/sandbox/README.md): creating an issue, an
 * issue comment, a pull request, a review or review comment, a commit comment, a release, and merging a pull
 * request (a merge commit, a timeline event and notifications to every participant). Ref creations, updates
 * and deletions, contents writes, edits (PATCH), labels and reactions do not count: they notify nobody, and
 * a `git push` doing the same is not content-limited. A GraphQL mutation that creates, adds, submits,
 * merges or reverts counts.
 */
export function costOf(method: string, path: string, body: Buffer | null): RequestCost {
  if ((path === '/graphql' || path === '/api/graphql') && method === 'POST') {
    const query = graphqlQuery(body);
    const mutation = /^\s*mutation\b/.test(query);
    return { points: mutation ? 5 : 1, graphql: true, content: mutation && /\b(create|add|submit|merge|revert)[A-Z][A-Za-z]*\s*\(/.test(query) };
  }
  const read = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  return { points: read ? 1 : 5, graphql: false, content: !read && CONTENT_ROUTES.some(([m, re]) => m === method && re.test(path)) };
}

const seg = '[^/]+';
const CONTENT_ROUTES: ReadonlyArray<readonly [string, RegExp]> = [
  ['POST', new RegExp(`^/repos/${seg}/${seg}/issues$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/issues/${seg}/comments$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/pulls$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/pulls/${seg}/reviews$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/pulls/${seg}/comments$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/pulls/${seg}/comments/${seg}/replies$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/commits/${seg}/comments$`)],
  ['POST', new RegExp(`^/repos/${seg}/${seg}/releases$`)],
  ['PUT', new RegExp(`^/repos/${seg}/${seg}/pulls/${seg}/merge$`)],
];

function graphqlQuery(body: Buffer | null): string {
  try {
    const parsed = JSON.parse(body?.toString('utf8') ?? '') as { query?: unknown };
    return typeof parsed.query === 'string' ? parsed.query.replace(/#[^\n]*/g, '') : '';
  } catch {
    return '';
  }
}

/** One admitted request: call `release()` once its answer is sent (ends its concurrency slot). */
export interface Admission {
  release(): void;
}

/** One client's requests in flight, its admissions of the last minute and its content of the last hour (oldest first). */
interface Client {
  inFlight: number;
  minute: Array<{ at: number; cost: RequestCost }>;
  contentHour: number[];
}

export class SecondaryLimiter {
  private options: SecondaryLimitOptions | null = null;
  private readonly clients = new Map<string, Client>();
  private readonly refusals = new Map<SecondaryLimitKind, number>();

  constructor(private readonly now: () => number = Date.now) {}

  configure(options: Partial<SecondaryLimitOptions> | null): void {
    this.options = options === null ? null : { ...PUBLISHED_LIMITS, ...options };
    this.clients.clear();
    this.refusals.clear();
  }

  get enabled(): boolean {
    return this.options !== null;
  }

  /** Secondary-limit answers sent since realistic mode was configured, by limit. */
  answers(): Record<SecondaryLimitKind, number> {
    const out = { concurrency: 0, 'rest-points': 0, 'graphql-points': 0, 'content-minute': 0, 'content-hour': 0 };
    for (const [k, n] of this.refusals) out[k] = n;
    return out;
  }

  async delay(): Promise<void> {
    const ms = this.options?.latencyMs ?? 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  /** Admits the request or throws GitHub's secondary-limit answer (an `HttpError`). */
  admit(actor: Actor, credential: string | null, cost: RequestCost): Admission {
    const o = this.options;
    if (o === null) return { release() {} };
    const key = clientKey(actor, credential);
    let c = this.clients.get(key);
    if (!c) {
      c = { inFlight: 0, minute: [], contentHour: [] };
      this.clients.set(key, c);
    }
    const now = this.now();
    while (c.minute.length > 0 && c.minute[0]!.at <= now - o.minuteMs) c.minute.shift();
    while (c.contentHour.length > 0 && c.contentHour[0]! <= now - o.hourMs) c.contentHour.shift();
    const refused = this.firstExceeded(o, c, cost, now);
    if (refused !== null) {
      this.refusals.set(refused.kind, (this.refusals.get(refused.kind) ?? 0) + 1);
      throw new HttpError(o.status, refused.kind.startsWith('content') ? CONTENT_MESSAGE : GENERAL_MESSAGE, {
        headers: { 'retry-after': String(Math.max(1, Math.ceil(refused.waitMs / 1000))) },
        documentationUrl: DOCS_URL,
      });
    }
    c.inFlight += 1;
    c.minute.push({ at: now, cost });
    if (cost.content) c.contentHour.push(now);
    const client = c;
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        client.inFlight -= 1;
      },
    };
  }

  /** The first limit this request would exceed, and how long until it would not. */
  private firstExceeded(o: SecondaryLimitOptions, c: Client, cost: RequestCost, now: number): { kind: SecondaryLimitKind; waitMs: number } | null {
    // Concurrency frees up within a request's time; GitHub then still says "wait": one second.
    if (c.inFlight + 1 > o.concurrency) return { kind: 'concurrency', waitMs: 1000 };
    const hour = c.contentHour.map((at) => ({ at, cost: { points: 0, graphql: false, content: true } }));
    const checks: Array<[SecondaryLimitKind, number, number, Array<{ at: number; cost: RequestCost }>, (a: RequestCost) => number]> = [
      ['content-hour', o.contentPerHour, o.hourMs, hour, (a) => (a.content ? 1 : 0)],
      ['content-minute', o.contentPerMinute, o.minuteMs, c.minute, (a) => (a.content ? 1 : 0)],
      cost.graphql
        ? ['graphql-points', o.graphqlPointsPerMinute, o.minuteMs, c.minute, (a) => (a.graphql ? a.points : 0)]
        : ['rest-points', o.restPointsPerMinute, o.minuteMs, c.minute, (a) => (a.graphql ? 0 : a.points)],
    ];
    for (const [kind, limit, windowMs, inWindow, weigh] of checks) {
      const own = weigh(cost);
      if (own === 0) continue;
      let used = inWindow.reduce((sum, a) => sum + weigh(a.cost), 0);
      if (used + own <= limit) continue;
      // Walk the window from its oldest admission until enough has left it.
      let waitMs = windowMs;
      for (const a of inWindow) {
        used -= weigh(a.cost);
        if (used + own <= limit) {
          waitMs = a.at + windowMs - now;
          break;
        }
      }
      return { kind, waitMs };
    }
    return null;
  }
}

function clientKey(actor: Actor, credential: string | null): string {
  if (actor.kind === 'installation') return `installation:${actor.installation.id}`;
  if (actor.kind === 'user') return `user:${actor.login}`;
  if (actor.kind === 'app') return 'app';
  return `anonymous:${credential === null ? '' : 'bad-credential'}`;
}

/** The limiter of each sandbox, found by its App record (shared by the context and the public handle). */
const limiters = new WeakMap<object, SecondaryLimiter>();

export function secondaryLimiterOf(app: object): SecondaryLimiter {
  let l = limiters.get(app);
  if (!l) {
    l = new SecondaryLimiter();
    limiters.set(app, l);
  }
  return l;
}

/**
 * Switches a sandbox into realistic mode (GitHub's published limits, each overridable; `null` switches it
 * off) and returns its limiter, whose `answers()` counts the secondary-limit answers sent.
 */
export function useRealisticLimits(sandbox: { readonly app: object }, options: Partial<SecondaryLimitOptions> | null = {}): SecondaryLimiter {
  const l = secondaryLimiterOf(sandbox.app);
  l.configure(options);
  // GitHub has its GraphQL schema loaded: the sandbox's first GraphQL request should not pay for building it.
  if (options) void githubSchema().catch(() => undefined);
  return l;
}
