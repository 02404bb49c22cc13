/** Combines check runs and commit statuses into one result per name and source (pure). */
import type { CheckResult, CheckState } from './port.ts';
import type { WireCheckRun, WireStatus } from './wire.ts';

const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

export function checkRunState(run: Pick<WireCheckRun, 'status' | 'conclusion'>): CheckState {
  if (run.status !== 'completed') return 'pending';
  if (run.conclusion === null) return 'pending';
  // cancelled, timed_out, action_required, failure, stale, startup_failure and anything new count as failure.
  return PASSING_CONCLUSIONS.has(run.conclusion) ? 'success' : 'failure';
}

export function statusState(state: string): CheckState {
  if (state === 'success') return 'success';
  if (state === 'pending') return 'pending';
  return 'failure';
}

/** The latest check run per name (latest start, then highest id) and the latest status per context. */
export function combineChecks(runs: readonly WireCheckRun[], statuses: readonly WireStatus[]): CheckResult[] {
  const latestRun = new Map<string, WireCheckRun>();
  for (const run of runs) {
    const seen = latestRun.get(run.name);
    if (seen === undefined || newerRun(run, seen)) latestRun.set(run.name, run);
  }
  const latestStatus = new Map<string, WireStatus>();
  for (const s of statuses) {
    const seen = latestStatus.get(s.context);
    if (seen === undefined || (s.updated_at ?? '') > (seen.updated_at ?? '') || ((s.updated_at ?? '') === (seen.updated_at ?? '') && s.id > seen.id)) {
      latestStatus.set(s.context, s);
    }
  }
  const results: CheckResult[] = [
    ...[...latestRun.values()].map((r) => ({ name: r.name, state: checkRunState(r), source: 'check_run' as const, url: r.html_url ?? r.details_url ?? null, id: r.id })),
    ...[...latestStatus.values()].map((s) => ({ name: s.context, state: statusState(s.state), source: 'status' as const, url: s.target_url, id: s.id })),
  ];
  return results.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

function newerRun(a: WireCheckRun, b: WireCheckRun): boolean {
  const sa = a.started_at ?? '';
  const sb = b.started_at ?? '';
  return sa === sb ? a.id > b.id : sa > sb;
}
