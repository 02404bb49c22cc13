/**
 * The tracking issue: a readable view of the rollback (plan, live state of every step) plus the
 * hidden machine state. Rendering and parsing round-trip through `RollbackStateSchema`.
 */
import type { IssueInfo } from '../github/port.ts';
import { parseHidden } from '../ledger/hidden-json.ts';
import type { Keyring } from '../trust/keyring.ts';
import { describeSealProblem, sealHidden, unsealHidden } from '../trust/seal.ts';
import { writtenByUnwind, type Trust } from '../trust/trust.ts';
import { mdLink, mdMention, mdText } from '../shared/markdown.ts';
import { RollbackStateSchema, type RollbackState, type StepState } from './state.ts';

export const TRACKING_LABEL = 'unwind:rollback';
/** Added to the tracking issues of automatic reverts (the policy's caps count them). */
export const AUTO_LABEL = 'unwind:auto';
export const STATE_TAG = 'state';

export function trackingTitle(state: Pick<RollbackState, 'id' | 'summary'>): string {
  return `Rollback ${state.id}: ${state.summary}`.slice(0, 250);
}

/** The body with the state sealed for the tracking repository (see src/trust/seal.ts). */
export function renderTrackingBody(state: RollbackState, keyring: Keyring): string {
  const d = state.decision;
  const lines = [
    `## Rollback \`${state.id}\``,
    '',
    `Requested by @${state.requestedBy} on ${state.origin.url}${state.reason ? ` — _${mdText(state.reason)}_` : ''}`,
    '',
    `**Status:** ${statusLine(state)}`,
    `**Policy:** ${d.allow ? 'allowed' : d.pending ? 'pending approval' : 'denied'} by \`${d.policyVersion.slice(0, 12)}\` (${d.engine})` +
      (d.reasons.length ? ` — ${d.reasons.map((r) => `${mdText(r.reason)} (${mdText(r.enforcement)})`).join('; ')}` : ''),
    ...(state.approvals.length ? [`**Approvals:** ${state.approvals.map((a) => `@${a.login}`).join(', ')}`] : []),
    '',
    '### Steps',
    '',
    '| wave | repository | reverts | state | pull request | detail |',
    '|---|---|---|---|---|---|',
    ...state.steps.map(renderStepRow),
    '',
    state.planMarkdown,
    '',
    ...(state.warnings.length ? ['### Warnings', '', ...state.warnings.map((w) => `- ${mdText(w)}`), ''] : []),
    '_Every decision and action is recorded as a comment below (the audit ledger)._',
    '',
    sealHidden(STATE_TAG, state.tracking.repo, state, keyring),
  ];
  return lines.join('\n');
}

/** The state in a body, NOT authenticated: for display and tests only, never act on it (see openTrackingState). */
export function parseTrackingState(body: string): RollbackState | null {
  const raw = parseHidden(STATE_TAG, body);
  if (raw === null) return null;
  const parsed = RollbackStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export type OpenedTracking = { readonly ok: true; readonly state: RollbackState } | { readonly ok: false; readonly why: string };

/**
 * The state of a tracking issue, only if Unwind can trust it: the issue was opened by Unwind's own App
 * identity, its body carries exactly one state block, signed by Unwind's keys for this repository,
 * and the state is the one of the rollback the title names. The issue itself says where it lives.
 */
export function openTrackingState(issue: IssueInfo, trust: Trust): OpenedTracking {
  if (!writtenByUnwind(trust, issue.user)) return { ok: false, why: 'the issue was not opened by Unwind' };
  const sealed = unsealHidden(STATE_TAG, `${issue.owner}/${issue.repo}`, issue.body, trust.keyring);
  if (!sealed.ok) return { ok: false, why: describeSealProblem(sealed.problem) };
  const parsed = RollbackStateSchema.safeParse(sealed.value);
  if (!parsed.success) return { ok: false, why: 'its state block does not match the state schema' };
  const state = parsed.data;
  if (!issue.title.startsWith(`Rollback ${state.id}:`)) return { ok: false, why: 'its state belongs to another rollback than its title names' };
  return { ok: true, state: { ...state, tracking: { repo: `${issue.owner}/${issue.repo}`, number: issue.number, url: issue.htmlUrl } } };
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
  const who = [...state.decision.approverTeams.map((t) => `team ${mdText(t)}`), ...state.decision.approverUsers.map((u) => mdMention(u))];
  return who.length ? who.join(' or ') : 'an allowed approver';
}

function renderStepRow(step: StepState): string {
  const reverts = step.kind === 'compensate' ? `compensations: ${step.compensations.map((c) => mdText(c.id)).join(', ')}` : step.targets.map((t) => (t.number ? `#${t.number}` : mdText(t.sha.slice(0, 7)))).join(', ');
  const pr = step.pr ? mdLink(`#${step.pr.number}`, step.pr.url) : '—';
  const detail = [step.detail, ...step.drift.map((f) => `drift: ${f}`)].filter(Boolean).join('; ');
  return `| ${step.wave + 1} | ${mdText(step.repo)} | ${reverts} | \`${step.state}\` | ${pr} | ${mdText(detail)} |`;
}
