/** A failed GitHub call, converted at the adapter boundary so the domain never sees Octokit errors. */
export class GitHubError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly route: string,
    message: string,
  ) {
    super(`GitHub ${method} ${route} answered ${status}: ${message}`);
  }
}
