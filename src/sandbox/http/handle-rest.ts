/**
 * The REST pipeline: faults → auth → rate limit → route → body → contract check → handler → conditional GET
 * (ETag, 304) → response.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../context.ts';
import { authenticate, credentialOf, requireAppJwt } from '../auth/authenticate.ts';
import { cacheHeaders, etagOf, ifNoneMatchHits } from './conditional.ts';
import { HttpError, notFound } from './http-error.ts';
import type { RateLimiter } from './rate-limit.ts';
import { parseJsonBody, readBody } from './read-body.ts';
import type { RequestStatsRecorder } from './request-stats.ts';
import { costOf, type Admission, type SecondaryLimiter } from './secondary-limits.ts';
import type { Actor, RestResult, RouteDef } from './rest-types.ts';
import type { Router } from './router.ts';
import type { FaultInjector } from './server-faults.ts';

export interface RestDeps {
  router: Router;
  limiter: RateLimiter;
  faults: FaultInjector;
  stats: RequestStatsRecorder;
  /** GitHub's secondary limits in realistic mode (see secondary-limits.ts). */
  secondary?: SecondaryLimiter;
}

/** A response as it goes on the wire: status, headers (without the common ones) and body bytes. */
interface Wire {
  status: number;
  headers: Record<string, string>;
  data: Buffer | null;
  raw: boolean;
}

function toWire(result: RestResult): Wire {
  const headers = { ...(result.headers ?? {}) };
  if (result.raw) {
    const data = typeof result.raw.data === 'string' ? Buffer.from(result.raw.data, 'utf8') : result.raw.data;
    return { status: result.status, headers: { ...headers, 'content-type': result.raw.contentType }, data, raw: true };
  }
  if (result.status === 204 || result.status === 304 || result.body === undefined) return { status: result.status, headers, data: null, raw: false };
  const data = Buffer.from(JSON.stringify(result.body), 'utf8');
  return { status: result.status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, data, raw: false };
}

function send(ctx: SandboxContext, res: ServerResponse, method: string, wire: Wire, rateHeaders: Record<string, string>): void {
  const h: Record<string, string> = {
    date: ctx.now().toUTCString(),
    'x-github-request-id': randomUUID().slice(0, 18).toUpperCase(),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    ...rateHeaders,
    ...wire.headers,
  };
  if (wire.data === null) {
    res.writeHead(wire.status, h);
    res.end();
    return;
  }
  res.writeHead(wire.status, { ...h, 'content-length': String(wire.data.length) });
  res.end(method === 'HEAD' ? undefined : wire.data);
}

function checkResponse(ctx: SandboxContext, method: string, rawPath: string, result: RestResult): void {
  if (!ctx.checker) return;
  try {
    const body = result.raw ? result.raw.data : result.body;
    ctx.recordViolations(
      ctx.checker.checkResponse({ method, path: rawPath, status: result.status, body, contentType: result.raw?.contentType ?? 'application/json' }),
    );
  } catch (err) {
    ctx.recordViolations([{ kind: 'response', where: `${method} ${rawPath}`, message: `checker failed: ${String(err)}` }]);
  }
}

const routeNames = new WeakMap<RouteDef, string>();

/** `GET /repos/{owner}/{repo}/contents/{path}` for a route, for request statistics. */
function routeName(def: RouteDef): string {
  let name = routeNames.get(def);
  if (name === undefined) {
    name = `${def.method} ${def.pattern.replace(/[:*]([a-z_]+)/g, '{$1}')}`;
    routeNames.set(def, name);
  }
  return name;
}

export async function handleRest(ctx: SandboxContext, deps: RestDeps, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const rawPath = path;
  let rateHeaders: Record<string, string> = {};
  let refund: (() => Record<string, string>) | null = null;
  let counted = false;
  let route = `${method} (unmatched)`;
  let actor: Actor = { kind: 'anonymous' };
  let admission: Admission | null = null;
  let result: RestResult;
  // Known first: a GraphQL request answered by an injected fault or a secondary limit is not checked against the
  // OpenAPI description (which has no operation for POST /graphql).
  const match = deps.router.match(method, path);
  const checkedByOpenApi = match?.def.contract !== 'graphql';
  try {
    const raw = await readBody(req);
    await deps.faults.before();
    let credential: string | null = null;
    try {
      credential = credentialOf(req.headers.authorization);
      actor = authenticate(ctx, req.headers.authorization);
    } finally {
      counted = true;
      const charge = deps.limiter.take(actor, credential);
      rateHeaders = charge.headers;
      refund = charge.refund;
    }
    if (deps.secondary?.enabled) admission = deps.secondary.admit(actor, credential, costOf(method, path, raw));
    if (!match) {
      const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
      ctx.recordViolations([{ kind: 'unknown-endpoint', where: `${method} ${shown}`, message: 'endpoint not implemented by the sandbox' }]);
      throw notFound();
    }
    route = routeName(match.def);
    if (match.def.auth === 'app') requireAppJwt(actor);
    const body = parseJsonBody(raw);
    if (ctx.checker && checkedByOpenApi) {
      try {
        ctx.recordViolations(ctx.checker.checkRequest({ method, path: rawPath, query: url.searchParams, body }));
      } catch (err) {
        ctx.recordViolations([{ kind: 'request', where: `${method} ${rawPath}`, message: `checker failed: ${String(err)}` }]);
      }
    }
    result = await match.handler(ctx, { method, url, path, params: match.params, query: url.searchParams, body, headers: req.headers, actor });
  } catch (err) {
    if (err instanceof HttpError) {
      result = { status: err.status, body: err.body(), headers: err.extra.headers };
    } else {
      process.emitWarning(`sandbox: ${method} ${path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      result = { status: 500, body: new HttpError(500, 'Internal Server Error').body() };
    }
  }
  let wire = toWire(result);
  let notModified = false;
  if (method === 'GET' && wire.status === 200 && wire.data !== null) {
    const authorized = actor.kind !== 'anonymous';
    const etag = etagOf({ contentType: wire.headers['content-type'] ?? '', link: wire.headers.link, data: wire.data, raw: wire.raw });
    Object.assign(wire.headers, cacheHeaders(authorized), { etag });
    if (ifNoneMatchHits(req.headers, etag)) {
      // GitHub: a 304 to a request "correctly authorized with an Authorization header" is not counted.
      notModified = true;
      wire = { status: 304, headers: { ...cacheHeaders(authorized), etag }, data: null, raw: false };
      result = { status: 304 };
      if (authorized && refund) {
        rateHeaders = refund();
        counted = false;
      }
    }
  }
  if (checkedByOpenApi) checkResponse(ctx, method, rawPath, result);
  deps.stats.record(route, { counted, notModified });
  send(ctx, res, method, wire, rateHeaders);
  admission?.release();
}
