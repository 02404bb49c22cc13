/**
 * The read-only rollbacks page (SPEC §9): every rollback Unwind can see, newest first, with its
 * timeline and steps, read from the tracking issues alone (the same source the reconciler uses).
 * Everything shown comes from GitHub and is HTML-escaped.
 */
import type { RollbackState } from '../execution/state.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { Clients } from './clients.ts';
import { openTrackingState } from '../execution/tracking-issue.ts';
import { registryOf } from '../registry/registry-locks.ts';
import { configRepoOf } from './plan-request.ts';
import type { Trust } from '../trust/trust.ts';

export interface ListedRollback {
  readonly state: RollbackState;
}

/** At most this many rollbacks are shown (newest first). */
const MAX_SHOWN = 200;

/** Active and recently finished rollbacks of every org, from each org's registry (not from every repository). */
export async function listAllRollbacks(clients: Clients, trust: Trust): Promise<ListedRollback[]> {
  const found = new Map<string, ListedRollback>();
  for (const installation of await clients.installations()) {
    const client = await clients.forInstallation(installation.id);
    const doc = await registryOf(client.port, trust, configRepoOf(installation.account)).read();
    const tracked = [...Object.values(doc.rollbacks).map((r) => r.tracking), ...doc.recent.map((r) => r.tracking)];
    for (const where of tracked) {
      if (!where) continue;
      const issue = await client.port.getIssue(parseRepo(where.repo), where.number);
      const opened = issue ? openTrackingState(issue, trust) : null;
      if (opened?.ok) found.set(opened.state.id, { state: opened.state });
    }
  }
  return [...found.values()].sort((a, b) => b.state.createdAt.localeCompare(a.state.createdAt)).slice(0, MAX_SHOWN);
}

export function renderRollbacksPage(items: readonly ListedRollback[], generatedAt: Date): string {
  const rows = items.map(({ state }) => renderRollback(state)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Unwind rollbacks</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1f2328}
h1{font-size:1.4em}section{border:1px solid #d0d7de;border-radius:6px;padding:.8em 1em;margin:1em 0}
table{border-collapse:collapse}td,th{padding:.2em .8em .2em 0;text-align:left;vertical-align:top}
.status{font-weight:600}.completed{color:#1a7f37}.stopped,.denied,.aborted{color:#cf222e}.running,.awaiting_approval{color:#9a6700}
small{color:#656d76}
</style></head><body>
<h1>Unwind rollbacks</h1>
<p><small>${items.length} rollback(s) visible to Unwind, newest first · generated ${esc(generatedAt.toISOString())} · read-only</small></p>
${rows || '<p>No rollbacks yet.</p>'}
</body></html>
`;
}

function renderRollback(s: RollbackState): string {
  const t = s.timings;
  const timeline: Array<[string, string | null]> = [
    ['requested', t.requestedAt],
    ['planned', t.plannedAt],
    ['approved', t.approvedAt],
    ['first revert PR', t.firstPrAt],
    ...t.waves.map((w): [string, string | null] => [`wave ${w.wave + 1} of ${s.waveCount}`, `${w.startedAt} → ${w.endedAt ?? '…'}`]),
    ['finished', t.finishedAt],
  ];
  const steps = s.steps
    .map((st) => `<tr><td>${st.wave + 1}</td><td>${esc(st.repo)}</td><td>${esc(st.kind)}</td><td class="status">${esc(st.state)}</td><td>${st.pr ? `<a href="${safeUrl(st.pr.url)}">#${st.pr.number}</a>` : ''}</td><td><small>${esc(st.detail ?? '')}</small></td></tr>`)
    .join('');
  return `<section id="${esc(s.id)}">
<div><a href="${safeUrl(s.tracking.url)}"><strong>${esc(s.id)}</strong></a> <span class="status ${esc(s.status)}">${esc(s.status)}</span> · ${esc(s.trigger === 'auto' ? 'automatic' : `@${s.requestedBy}`)} · ${esc(s.summary)}</div>
<table><tr><th>timeline</th><td></td></tr>${timeline.filter(([, at]) => at).map(([what, at]) => `<tr><td>${esc(what)}</td><td>${esc(at ?? '')}</td></tr>`).join('')}</table>
<table><tr><th>wave</th><th>repository</th><th>kind</th><th>state</th><th>PR</th><th>detail</th></tr>${steps}</table>
</section>`;
}

/** Tracking issue bodies can be edited by people: only http(s) links are ever rendered as links. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? esc(url) : '#';
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
