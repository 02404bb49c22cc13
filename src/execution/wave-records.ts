/**
 * What a finished wave contributes to the ledger: a markdown section naming each step's branch,
 * PR, merge and verification, and a machine record of the same. A wave's entry is written on its
 * own when the run has time to spare, otherwise folded into the next entry (completion, escalation
 * or abort), so GitHub's comment pacing never holds back a revert.
 */
import { mdCode, mdText } from '../shared/markdown.ts';
import { stepsOfWave, type RollbackState, type StepState } from './state.ts';

export interface WaveRecord {
  readonly wave: number;
  readonly drift: string[];
  readonly steps: Array<Record<string, unknown>>;
}

export interface WaveSection {
  readonly lines: string[];
  readonly record: WaveRecord;
  readonly links: Array<{ rel: string; url: string }>;
}

export function waveSection(state: RollbackState, wave: number): WaveSection {
  const steps = stepsOfWave(state, wave);
  const drift = steps.flatMap((s) => s.drift.map((f) => `${s.repo}:${f}`));
  return {
    lines: [`Wave ${wave + 1} of ${state.waveCount} merged and verified${drift.length ? ', with drift' : ''}:`, ...steps.map((s) => `- ${describeStep(s)}`)],
    record: { wave, drift, steps: steps.map(stepRecord) },
    links: steps.flatMap((s) => (s.pr ? [{ rel: 'revert', url: s.pr.url }] : [])),
  };
}

/** The sections of every finished wave whose entry is still unwritten, plus `also` (a wave just finished). */
export function foldedWaves(state: RollbackState, also: number | null = null): WaveSection[] {
  const waves = [...state.pendingWaveEntries, ...(also === null || state.pendingWaveEntries.includes(also) ? [] : [also])];
  return waves.sort((a, b) => a - b).map((w) => waveSection(state, w));
}

/** Markdown of folded sections, ending with a blank line when there are any. */
export function foldedText(sections: readonly WaveSection[]): string[] {
  return sections.flatMap((s) => [...s.lines, '']);
}

function describeStep(s: StepState): string {
  const repo = mdText(s.repo);
  if (s.kind === 'compensate') return `${repo}: compensations ${s.compensations.map((c) => `${mdCode(c.id)} ${c.state}`).join(', ')}`;
  if (!s.pr) return `${repo}: ${s.detail === null ? 'nothing to revert' : mdText(s.detail)}`;
  const reverted = s.targets.map((t) => (t.number ? `#${t.number}` : mdCode(t.sha.slice(0, 7)))).join(', ');
  const merged = s.mergeSha ? ` merged as ${mdCode(s.mergeSha.slice(0, 12))}` : ' merged';
  const verified = s.drift.length ? `; drift in ${s.drift.map((f) => mdCode(f)).join(', ')} (later commits changed them)` : `; verified: the change is gone`;
  return `${repo}: reverted ${reverted} on \`${s.branch}\` via ${s.pr.url},${merged}${verified}`;
}

function stepRecord(s: StepState): Record<string, unknown> {
  return {
    key: s.key,
    repo: s.repo,
    state: s.state,
    reverted: s.targets.map((t) => ({ sha: t.sha, pull: t.number })),
    branch: s.branch,
    head_sha: s.headSha,
    pull: s.pr?.url ?? null,
    merge_sha: s.mergeSha,
    pr_opened_at: s.prOpenedAt,
    merged_at: s.mergedAt,
    verified_at: s.verifiedAt,
    drift: s.drift,
    bytes_fetched: s.bytesFetched,
    compensations: s.compensations.map((c) => ({ id: c.id, state: c.state, run: c.runId, attempts: c.attempt })),
  };
}
