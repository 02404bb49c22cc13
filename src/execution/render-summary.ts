/** The closing summary of a rollback with the timings of SPEC §6. */
import { mdCode } from '../shared/markdown.ts';
import type { RollbackState } from './state.ts';

export function renderSummary(state: RollbackState): string {
  const t = state.timings;
  const span = (from: string | null, to: string | null): string => (from && to ? formatMs(Date.parse(to) - Date.parse(from)) : '—');
  const reverted = state.steps.filter((s) => s.kind === 'revert');
  const drift = state.steps.flatMap((s) => s.drift.map((f) => `${s.repo}:${f}`));
  return [
    `### Rollback \`${state.id}\` completed`,
    '',
    `${reverted.length} repositories reverted in ${state.waveCount} wave(s); ${state.steps.filter((s) => s.pr).length} revert pull request(s) merged.`,
    '',
    '| measure | time |',
    '|---|---|',
    `| time to plan | ${span(t.requestedAt, t.plannedAt)} |`,
    `| approval wait | ${t.approvedAt ? span(t.plannedAt, t.approvedAt) : 'none needed'} |`,
    `| time to first revert PR | ${span(t.requestedAt, t.firstPrAt)} |`,
    ...t.waves.map((w) => `| wave ${w.wave + 1} | ${span(w.startedAt, w.endedAt)} |`),
    `| total rollback latency | ${span(t.requestedAt, t.finishedAt)} |`,
    `| resumes (reconciliations) | ${t.resumes} |`,
    `| reconciliation time | ${t.resumes ? formatMs(t.reconciliationMs) : 'none needed'} |`,
    '',
    drift.length ? `Drift reported: ${drift.map((d) => mdCode(d)).join(', ')}.` : 'No drift: every default branch is back to its content before the reverted changes.',
  ].join('\n');
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
