/**
 * The tracking issue: a readable view of the rollback (plan, live state of every step) plus the
 * hidden machine state. Rendering and parsing round-trip through `RollbackStateSchema`.
 */
import { parseHidden, renderHidden } from '../ledger/hidden-json.ts';
import { RollbackStateSchema, type RollbackState, type StepState } from './state.ts';

export const TRACKING_LABEL = 'unwind:rollback';
/** Added to the tracking issues of automatic reverts (the policy's caps count them). */
export const AUTO_LABEL = 'unwind:auto';
const STATE_TAG = 'state';

export function trackingTitle(state: Pick<RollbackState, 'id' | 'summary'>): string {
  return `Rollback ${state.id}: ${state.summary}`.slice(0, 250);
}

export function renderTrackingBody(state: RollbackState): string {
  const d = state.decision;
  const lines = [
    `## Rollback \`${state.id}\``,
    '',
    `Requested by @${state.requestedBy} on ${state.origin.url}${state.reason ? ` — _${escapeMd(state.reason)}_` : ''}`,
    '',
    `**Status:** ${statusLine(state)}`,
    `**Policy:** ${d.allow ? 'allowed' : d.pending ? 'pending approval' : 'denied'} by \`${d.policyVersion.slice(0, 12)}\` (${d.engine})` +
      (d.reasons.length ? ` — ${d.reasons.map((r) => `${escapeMd(r.reason)} (${r.enforcement})`).join('; ')}` : ''),
    ...(state.approvals.length ? [`**Approvals:** ${state.approvals.map((a) => `@${a.login}`).join(', ')}`] : []),
    '',
    '### Steps',
    '',
    '| wave | repository | reverts | state | pull request | detail |',
    '|---|---|---|---|---|---|',
    ...state.steps.map(renderStepRow),
    '',
    '### Plan',
    '',
    state.planMarkdown,
    '',
    ...(state.warnings.length ? ['### Warnings', '', ...state.warnings.map((w) => `- ${escapeMd(w)}`), ''] : []),
    '_Every decision and action is recorded as a comment below (the audit ledger)._',
    '',
    renderHidden(STATE_TAG, state),
  ];
  return lines.join('\n');
}

export function parseTrackingState(body: string): RollbackState | null {
  const raw = parseHidden(STATE_TAG, body);
  if (raw === null) return null;
  const parsed = RollbackStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

function statusLine(state: RollbackState): string {
  switch (state.status) {
    case 'running':
      return `running — wave ${state.wave + 1} of ${state.waveCount}`;
    case 'stopped':
      return `stopped at wave ${state.wave + 1} of ${state.waveCount} — fix the cause, then comment \`/rollback retry\` (or \`/rollback abort\`)`;
    case 'awaiting_approval':
      return `awaiting approval — ${state.decision.approvalsRequired} approval(s) from ${approverText(state)} with \`/rollback approve\``;
    default:
      return state.status;
  }
}

function approverText(state: RollbackState): string {
  const who = [...state.decision.approverTeams.map((t) => `team ${t}`), ...state.decision.approverUsers.map((u) => `@${u}`)];
  return who.length ? who.join(' or ') : 'an allowed approver';
}

function renderStepRow(step: StepState): string {
  const reverts = step.kind === 'compensate' ? `compensations: ${step.compensations.map((c) => c.id).join(', ')}` : step.targets.map((t) => (t.number ? `#${t.number}` : t.sha.slice(0, 7))).join(', ');
  const pr = step.pr ? `[#${step.pr.number}](${step.pr.url})` : '—';
  const detail = [step.detail, ...step.drift.map((f) => `drift: ${f}`)].filter(Boolean).join('; ');
  return `| ${step.wave + 1} | ${step.repo} | ${reverts} | \`${step.state}\` | ${pr} | ${escapeMd(detail ?? '')} |`;
}

export function escapeMd(text: string): string {
  return text.replace(/[|<>]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
