/** A policy decision as markdown, for ledger entries and replies. */
import { mdCode, mdMention, mdText } from '../shared/markdown.ts';
import type { DecisionSummary } from './state.ts';

export function describeDecision(d: DecisionSummary): string {
  const verdict = d.allow ? '**allowed**' : d.pending ? `**pending**: ${d.approvalsRequired} approval(s) needed from ${[...d.approverTeams.map((t) => `team ${mdCode(t)}`), ...d.approverUsers.map((u) => mdMention(u))].join(' or ') || 'an allowed approver'}` : '**denied**';
  const reasons = d.reasons.map((r) => `- ${mdText(r.reason)} (_${mdText(r.enforcement)}_)`);
  const warnings = d.warnings.map((w) => `- ⚠️ ${mdText(w)}`);
  return [`Policy decision: ${verdict} — policy \`${d.policyVersion.replace(/^sha256:/, '').slice(0, 12)}\` (${d.engine}).`, ...reasons, ...warnings].join('\n');
}
