/**
 * The Octokit plugin that puts every request of a client through the pacer (option `pacing`), keyed by the
 * client's installation, and answers the polls of a waiting rollback from GitHub's ETags (`conditional`):
 * the same GET is sent with `If-None-Match`, and GitHub's `304 Not Modified` (free of primary rate limit)
 * is turned back into the answer it stands for.
 */
import type { Octokit } from '@octokit/core';
import { ConditionalCache } from './conditional-cache.ts';
import type { Pacer } from './pacer.ts';
import { requestCost } from './request-cost.ts';

export interface PacingPluginOptions {
  /** Null or absent: requests go out unpaced. */
  readonly pacing?: Pacer | null;
  /** Null or absent: no conditional requests. */
  readonly conditional?: ConditionalCache | null;
  readonly auth?: unknown;
}

type Route = { method?: string; url?: string; query?: unknown; headers?: Record<string, unknown> } & Record<string, unknown>;
type Send = (options: Route) => Promise<{ status: number; headers: Record<string, unknown>; data: unknown }>;

export function pacingPlugin(octokit: Octokit, options: PacingPluginOptions): Record<string, never> {
  const pacer = options.pacing ?? null;
  const cache = options.conditional ?? null;
  if (pacer === null && cache === null) return {};
  const key = installationKey(options.auth);
  const urlOf = (r: Route): string => (octokit.request.endpoint as unknown as (r: Route) => { url: string })(r).url;
  octokit.hook.wrap('request', async (request, route) => {
    const send = request as unknown as Send;
    const r = route as unknown as Route;
    const method = (r.method ?? 'GET').toUpperCase();
    const template = r.url ?? '';
    const go = cache === null ? () => send(r) : () => cache.send(key, method, template, r, send, urlOf);
    if (pacer === null) return (await go()) as never;
    const path = new URL(template, 'http://github.invalid').pathname;
    const cost = requestCost(method, decodeURIComponent(path), typeof r.query === 'string' ? r.query : undefined);
    return (await pacer.run(key, cost, `${method} ${template}`, go)) as never;
  });
  return {};
}

/** The installation a client acts as (`installation:<id>`), or `app` (JWT) / `token` (any other token). */
export function installationKey(auth: unknown): string {
  const a = auth as { installationId?: unknown } | undefined;
  if (a && typeof a === 'object' && (typeof a.installationId === 'number' || typeof a.installationId === 'string')) return `installation:${a.installationId}`;
  if (a && typeof a === 'object' && 'appId' in a) return 'app';
  return 'token';
}
