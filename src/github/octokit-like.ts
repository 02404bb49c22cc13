/**
 * The minimal structural surface of an Octokit instance that the adapter uses. Both `new Octokit()` from
 * `@octokit/rest` and Probot's `context.octokit` satisfy it.
 */
export interface OctokitResponseLike {
  readonly status: number;
  readonly data: unknown;
  readonly headers: Readonly<Record<string, string | number | undefined>>;
}

export interface OctokitLike {
  request(route: string, parameters?: Record<string, unknown>): Promise<OctokitResponseLike>;
  paginate(route: string, parameters?: Record<string, unknown>): Promise<unknown[]>;
}
