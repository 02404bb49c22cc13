/** Counts of REST requests for benchmarks: all, those counted against the primary rate limit, and 304s. */
import type { RequestCounts, RequestStats } from '../types.ts';

export interface RequestStatsRecorder {
  /** `route` is `METHOD /template` (e.g. `GET /repos/{owner}/{repo}/contents/{path}`), or `METHOD (unmatched)`. */
  record(route: string, outcome: { counted: boolean; notModified: boolean }): void;
  snapshot(): RequestStats;
  reset(): void;
}

const zero = (): RequestCounts => ({ total: 0, counted: 0, notModified: 0 });

function add(c: RequestCounts, outcome: { counted: boolean; notModified: boolean }): void {
  c.total += 1;
  if (outcome.counted) c.counted += 1;
  if (outcome.notModified) c.notModified += 1;
}

export function createRequestStats(): RequestStatsRecorder {
  let all = zero();
  let byRoute = new Map<string, RequestCounts>();
  return {
    record(route, outcome) {
      add(all, outcome);
      let c = byRoute.get(route);
      if (!c) {
        c = zero();
        byRoute.set(route, c);
      }
      add(c, outcome);
    },
    snapshot() {
      return { ...all, byRoute: Object.fromEntries([...byRoute].map(([k, v]) => [k, { ...v }])) };
    },
    reset() {
      all = zero();
      byRoute = new Map();
    },
  };
}
