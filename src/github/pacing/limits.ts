/**
 * The budget Unwind paces by: GitHub's published secondary limits per App installation (docs.github.com,
 * "About secondary rate limits"), which GitHub counts over sliding windows as far as a client can tell.
 */
export interface PacingLimits {
  /** Requests in flight at once (GitHub: 100, REST and GraphQL together). */
  readonly concurrency: number;
  /** REST points a minute (GET/HEAD/OPTIONS 1, POST/PATCH/PUT/DELETE 5). */
  readonly restPointsPerMinute: number;
  /** GraphQL points a minute (a mutation 5, a query 1). */
  readonly graphqlPointsPerMinute: number;
  /** Content-generating requests a minute and an hour. */
  readonly contentPerMinute: number;
  readonly contentPerHour: number;
  /** Length of a minute and an hour (tests shrink them). */
  readonly minuteMs: number;
  readonly hourMs: number;
  /**
   * Added to every window: a request admitted here at t reaches GitHub a little later, and two requests'
   * delays differ; counting each one a little longer keeps GitHub's count under the limit too.
   */
  readonly marginMs: number;
}

export const GITHUB_LIMITS: PacingLimits = {
  concurrency: 100,
  restPointsPerMinute: 900,
  graphqlPointsPerMinute: 2000,
  contentPerMinute: 80,
  contentPerHour: 500,
  minuteMs: 60_000,
  hourMs: 3_600_000,
  marginMs: 1_000,
};

/** What one request costs against the limits. */
export interface RequestCost {
  readonly points: number;
  readonly graphql: boolean;
  readonly content: boolean;
}
