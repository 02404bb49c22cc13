/**
 * Sends a request again when GitHub's answer may be different next time (a 5xx, a lost connection, a
 * timeout, GraphQL's "Something went wrong while executing your query"; not the codes in `doNotRetry`),
 * up to `retries` times, waiting `baseMs` × n² before the n-th: what @octokit/plugin-retry does, which
 * Probot installs and Unwind turns off (`retry: { enabled: false }`) for this.
 *
 * Why not the plugin: it puts every request, retried or not, through a Bottleneck limiter of its own,
 * created for the request. That costs each request timer turns and CPU on Unwind's critical path (a
 * rollback's merges and reverts, measured by bench/rollback.ts), and buys nothing here: nothing is
 * queued behind it, and pacing is src/github/pacing's.
 */
import type { Octokit } from '@octokit/core';

export interface ResendOptions {
  /** Retries after the first attempt (plugin-retry's default: 3). */
  readonly retries?: number;
  /** Milliseconds; the n-th retry waits baseMs × n² (plugin-retry's default base: 1 s). */
  readonly baseMs?: number;
  /** Statuses never sent again (plugin-retry's default list). */
  readonly doNotRetry?: readonly number[];
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULTS = { retries: 3, baseMs: 1_000, doNotRetry: [400, 401, 403, 404, 410, 422, 451] };

type Route = { request?: unknown } & Record<string, unknown>;
type Send = (options: Route) => Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>;

export function resendPlugin(octokit: Octokit, options: { resend?: ResendOptions | null }): Record<string, never> {
  if (!options.resend) return {};
  const retries = options.resend.retries ?? DEFAULTS.retries;
  const baseMs = options.resend.baseMs ?? DEFAULTS.baseMs;
  const doNotRetry = new Set(options.resend.doNotRetry ?? DEFAULTS.doNotRetry);
  const sleep = options.resend.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  octokit.hook.wrap('request', async (request, route) => {
    const send = request as unknown as Send;
    const r = route as unknown as Route;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await answerOrError(send, r)) as never;
      } catch (err) {
        if (attempt > retries || !worthAgain(err, doNotRetry)) throw err;
        await sleep(baseMs * attempt * attempt);
      }
    }
  });
  return {};
}

/** The answer; a 200 whose GraphQL errors say GitHub failed to run the query is a 500, as plugin-retry has it. */
async function answerOrError(send: Send, route: Route): ReturnType<Send> {
  const response = await send(route);
  const errors = (response.data as { errors?: Array<{ message?: unknown }> } | null)?.errors;
  const first = errors?.[0]?.message;
  if (typeof first === 'string' && /Something went wrong while executing your query/.test(first)) {
    throw Object.assign(new Error(first), { name: 'HttpError', status: 500, request: route, response });
  }
  return response;
}

/** An HTTP answer from GitHub (or Octokit's 500 for a failed fetch) whose status may change on a second try. */
function worthAgain(err: unknown, doNotRetry: ReadonlySet<number>): boolean {
  const e = err as { status?: unknown; request?: unknown } | null;
  return e !== null && typeof e === 'object' && e.request !== undefined && typeof e.status === 'number' && e.status >= 400 && !doNotRetry.has(e.status);
}
