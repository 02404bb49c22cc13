/** Request/response shapes shared by the router and the REST handlers. */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxContext } from '../context.ts';
import type { InstallationState, TokenState } from '../state/model.ts';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'app' }
  | { kind: 'installation'; installation: InstallationState; token: TokenState }
  | { kind: 'user'; login: string };

export interface RestRequest {
  method: string;
  /** absolute URL of the request as the client sent it */
  url: URL;
  /** pathname without the `/api/v3` prefix */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  actor: Actor;
}

export interface RestResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** non-JSON body (e.g. raw file contents) */
  raw?: { contentType: string; data: string | Buffer };
}

export type Handler = (ctx: SandboxContext, req: RestRequest) => Promise<RestResult> | RestResult;

export interface RouteDef {
  method: string;
  /** `/repos/:owner/:repo/contents/*path` — `:x` one segment, `*x` any number of segments (also none) */
  pattern: string;
  /** 'app': requires a JWT (GitHub App auth) */
  auth?: 'app';
  /** 'graphql': the body is checked against GitHub's GraphQL schema by the handler, not against the OpenAPI description */
  contract?: 'graphql';
  handler: Handler;
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): RestResult => ({ status, body, headers });
export const noContent = (): RestResult => ({ status: 204 });
