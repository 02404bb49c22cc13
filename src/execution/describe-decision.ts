/** A policy decision as markdown, for ledger entries and replies. */
import type { DecisionSummary } from './state.ts';

export function describeDecision(d: DecisionSummary): string {
  const verdict = d.allow ? '**allowed**' : d.pending ? `**pending**: ${d.approvalsRequired} approval(s) needed from ${[...d.approverTeams.map((t) => `team \`${t}\``), ...d.approverUsers.map((u) => `@${u}`)].join(' or ') || 'an allowed approver'}` : '**denied**';
  const reasons = d.reasons.map((r) => `- ${r.reason} (_${r.enforcement}_)`);
  const warnings = d.warnings.map((w) => `- ⚠️ ${w}`);
  return [`Policy decision: ${verdict} — policy \`${d.policyVersion.replace(/^sha256:/, '').slice(0, 12)}\` (${d.engine}).`, ...reasons, ...warnings].join('\n');
}
