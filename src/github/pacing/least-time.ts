/**
 * The least time GitHub's secondary limits allow for a set of requests: with sliding windows a burst may
 * use a whole limit at once, and each further limit's worth must wait one more window. The answer is the
 * time of the last request, for the tightest of the windows (content per minute and per hour, points).
 */
export interface WindowLimits {
  readonly contentPerMinute: number;
  readonly contentPerHour: number;
  readonly restPointsPerMinute: number;
  readonly minuteMs: number;
  readonly hourMs: number;
}

export function leastTimeForWrites(writes: { content: number; points: number }, l: WindowLimits): number {
  const last = (n: number, limit: number, windowMs: number): number => (n <= 0 ? 0 : (Math.ceil(n / limit) - 1) * windowMs);
  return Math.max(last(writes.content, l.contentPerMinute, l.minuteMs), last(writes.content, l.contentPerHour, l.hourMs), last(writes.points, l.restPointsPerMinute, l.minuteMs));
}
