/**
 * The first ledger entry of a rollback: who asked, where and why, the plan's size, and the policy's
 * decision on it, in one comment (GitHub paces comments; the plan itself is in the issue body).
 */
import { mdText } from '../shared/markdown.ts';
import { describeDecision } from './describe-decision.ts';
import type { LedgerRecord } from './ledger-writer.ts';
import type { RollbackState } from './state.ts';

export function requestRecord(state: RollbackState): LedgerRecord {
  const d = state.decision;
  return {
    action: 'requested',
    actor: state.requestedBy,
    outcome: d.allow ? 'allowed' : d.pending ? 'pending' : 'denied',
    text: [
      state.trigger === 'auto'
        ? `Automatic revert of ${state.origin.url}: ${mdText(state.reason ?? 'a watched check failed')}. Planned ${state.steps.length} step(s) in ${state.waveCount} wave(s).`
        : `@${state.requestedBy} requested this rollback on ${state.origin.url}${state.reason ? `: ${mdText(state.reason)}` : ''}. Planned ${state.steps.length} step(s) in ${state.waveCount} wave(s).`,
      '',
      describeDecision(d),
    ].join('\n'),
    links: [{ rel: 'origin', url: state.origin.commentUrl ?? state.origin.url }],
    details: {
      targets: state.steps.flatMap((s) => s.targets.map((t) => t.url)),
      waves: state.waveCount,
      steps: state.steps.map((s) => ({ key: s.key, repo: s.repo, wave: s.wave, reverts: s.targets.map((t) => t.sha) })),
      // The whole policy input the decision was made on: `unwind policy impact` replays it under other policies.
      ...(d.input ? { policy_input: d.input } : {}),
    },
    withDecision: true,
  };
}
