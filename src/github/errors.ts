/** A failed GitHub call, converted at the adapter boundary so the domain never sees Octokit errors. */
export class GitHubError extends Error {
  /** GitHub's own message (plus a 422's `errors[]` messages), without the method/route prefix. */
  readonly githubMessage: string;

  constructor(
    readonly status: number,
    readonly method: string,
    readonly route: string,
    message: string,
  ) {
    super(`GitHub ${method} ${route} answered ${status}: ${message}`);
    this.name = 'GitHubError';
    this.githubMessage = message;
  }
}

/**
 * A failure worth retrying after a pause: GitHub's 5xx, rate limits (429, or 403 saying so) and
 * network failures before GitHub answered (status 0). Everything else is an answer to act on.
 */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof GitHubError)) return false;
  if (err.status === 0 || err.status >= 500 || err.status === 429) return true;
  return err.status === 403 && /rate limit/i.test(err.githubMessage);
}
