/**
 * Ending a rollback as aborted, by a human (`/rollback abort`) or by a compensation whose contract
 * says `on_failure: abort`: every revert that has not merged is withdrawn (open PR closed, branch
 * deleted), merged reverts stay, and one `abort` entry says which, with any deferred wave records.
 */
import { mdText } from '../shared/markdown.ts';
import type { RunContext } from './run-context.ts';
import { foldedText, foldedWaves } from './wave-records.ts';
import { withdrawRevert } from './withdraw-revert.ts';

export interface AbortParams {
  readonly actor: string;
  /** The entry's first line, in markdown: who or what aborted, and why (user text through `mdText`). */
  readonly headline: string;
  readonly links?: Array<{ rel: string; url: string }>;
  readonly details?: Record<string, unknown>;
}

export async function abortRun(ctx: RunContext, p: AbortParams): Promise<void> {
  const { state } = ctx;
  const closed: string[] = [];
  for (const step of state.steps) {
    if (step.state === 'merged' || step.state === 'verified') continue;
    const url = await withdrawRevert(ctx.deps.port, step);
    if (url) closed.push(url);
    // A failed compensation keeps its state: it is why the rollback ended.
    if (step.state !== 'compensation_failed') await ctx.transition(step, 'aborted', null, { detail: step.pr ? `withdrawn: closed ${step.pr.url} and deleted ${step.branch}` : 'not started: the rollback was aborted' });
  }
  const merged = state.steps.filter((s) => s.state === 'merged' || s.state === 'verified').map((s) => s.repo);
  const folded = foldedWaves(state);
  await ctx.record(
    {
      action: 'abort',
      actor: p.actor,
      outcome: 'aborted',
      text: [
        p.headline,
        closed.length ? `Closed: ${closed.join(', ')}.` : 'No revert pull request was open.',
        merged.length ? `Already merged reverts stay in place: ${merged.map((r) => mdText(r)).join(', ')}.` : '',
        '',
        ...foldedText(folded),
      ].join('\n').trim(),
      links: [...(p.links ?? []), ...folded.flatMap((f) => f.links)],
      details: { ...p.details, closed, merged, waves: folded.map((f) => f.record) },
    },
    (s) => {
      s.status = 'aborted';
      s.pendingWaveEntries = [];
    },
  );
}
