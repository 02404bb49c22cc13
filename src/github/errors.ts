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
