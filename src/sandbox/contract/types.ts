export interface Violation {
  kind: 'request' | 'response' | 'webhook' | 'unknown-endpoint';
  /** e.g. `POST /repos/{owner}/{repo}/pulls (pulls/create) response 201` or `webhook pull_request.opened` */
  where: string;
  message: string;
}

export interface RouteMatch {
  operationId: string;
  template: string;
  /** Upper case, e.g. `GET`. */
  method: string;
  /** Path captures, percent-decoded. */
  params: Record<string, string>;
}

export interface RequestToCheck {
  method: string;
  /** URL pathname without `/api/v3` and without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body; `undefined`, `null`, `''` and `{}` all count as "no body". */
  body: unknown;
}

export interface ResponseToCheck {
  method: string;
  path: string;
  status: number;
  /**
   * Parsed JSON, or a string/Buffer for raw media (e.g. `application/vnd.github.raw` contents). A string that is
   * not raw media is JSON-parsed before validation.
   */
  body: unknown;
  /** The response `Content-Type`, if known; lets the checker tell raw media from JSON exactly. */
  contentType?: string;
}

export interface WarmList {
  /** `path` may be a template (`/repos/{owner}/{repo}/pulls`) or a concrete path. */
  operations?: Array<{ method: string; path: string }>;
  webhooks?: Array<{ event: string; action?: string }>;
}

export interface ContractChecker {
  /** path is the URL pathname WITHOUT an `/api/v3` prefix and without the query string; captures decoded */
  route(method: string, path: string): RouteMatch | null;
  checkRequest(r: RequestToCheck): Violation[];
  checkResponse(r: ResponseToCheck): Violation[];
  checkWebhook(event: string, action: string | undefined, payload: unknown): Violation[];
  /** Pre-compile the schemas of these operations / webhooks so later checks do not block the event loop. */
  warm(p: WarmList): void;
  /** Load and compile figures, for benchmarks and logs. */
  stats(): ContractStats;
}

export interface ContractStats {
  parseMs: number;
  normalizeMs: number;
  routerMs: number;
  ajvInitMs: number;
  compiled: number;
  compileMs: number;
}

/** Thrown for programming errors when using the checker (e.g. warming an operation that does not exist). */
export class ContractUsageError extends Error {
  override readonly name = 'ContractUsageError';
}
