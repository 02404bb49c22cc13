/** The REST pipeline: faults → auth → rate limit → route → body → contract check → handler → response. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../context.ts';
import { authenticate, credentialOf, requireAppJwt } from '../auth/authenticate.ts';
import { HttpError, notFound } from './http-error.ts';
import type { RateLimiter } from './rate-limit.ts';
import { parseJsonBody, readBody } from './read-body.ts';
import type { Actor, RestResult } from './rest-types.ts';
import type { Router } from './router.ts';
import type { FaultInjector } from './server-faults.ts';

export interface RestDeps {
  router: Router;
  limiter: RateLimiter;
  faults: FaultInjector;
}

function send(ctx: SandboxContext, res: ServerResponse, method: string, result: RestResult, headers: Record<string, string>): void {
  const h: Record<string, string> = {
    date: ctx.now().toUTCString(),
    'x-github-request-id': randomUUID().slice(0, 18).toUpperCase(),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    ...headers,
    ...(result.headers ?? {}),
  };
  if (result.raw) {
    const data = typeof result.raw.data === 'string' ? Buffer.from(result.raw.data, 'utf8') : result.raw.data;
    res.writeHead(result.status, { ...h, 'content-type': result.raw.contentType, 'content-length': String(data.length) });
    res.end(method === 'HEAD' ? undefined : data);
    return;
  }
  if (result.status === 204 || result.status === 304 || result.body === undefined) {
    res.writeHead(result.status, h);
    res.end();
    return;
  }
  const data = Buffer.from(JSON.stringify(result.body), 'utf8');
  res.writeHead(result.status, { ...h, 'content-type': 'application/json; charset=utf-8', 'content-length': String(data.length) });
  res.end(method === 'HEAD' ? undefined : data);
}

function checkResponse(ctx: SandboxContext, method: string, rawPath: string, result: RestResult): void {
  if (!ctx.checker) return;
  try {
    const body = result.raw ? (typeof result.raw.data === 'string' ? result.raw.data : result.raw.data) : result.body;
    ctx.recordViolations(
      ctx.checker.checkResponse({ method, path: rawPath, status: result.status, body, contentType: result.raw?.contentType ?? 'application/json' }),
    );
  } catch (err) {
    ctx.recordViolations([{ kind: 'response', where: `${method} ${rawPath}`, message: `checker failed: ${String(err)}` }]);
  }
}

export async function handleRest(ctx: SandboxContext, deps: RestDeps, req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const rawPath = path;
  let rateHeaders: Record<string, string> = {};
  let result: RestResult;
  try {
    const raw = await readBody(req);
    await deps.faults.before();
    let actor: Actor = { kind: 'anonymous' };
    let credential: string | null = null;
    try {
      credential = credentialOf(req.headers.authorization);
      actor = authenticate(ctx, req.headers.authorization);
    } finally {
      rateHeaders = deps.limiter.take(actor, credential);
    }
    const match = deps.router.match(method, path);
    if (!match) {
      const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
      ctx.recordViolations([{ kind: 'unknown-endpoint', where: `${method} ${shown}`, message: 'endpoint not implemented by the sandbox' }]);
      throw notFound();
    }
    if (match.def.auth === 'app') requireAppJwt(actor);
    const body = parseJsonBody(raw);
    if (ctx.checker) {
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
  checkResponse(ctx, method, rawPath, result);
  send(ctx, res, method, result, rateHeaders);
}
