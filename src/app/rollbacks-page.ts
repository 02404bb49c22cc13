/**
 * The read-only rollbacks page (SPEC §9): the rollbacks a visitor may see, newest first, with their
 * waves, steps and timeline, read from the tracking issues alone (the same source the reconciler uses).
 * Who may see what is decided in ./sign-in/; everything shown comes from GitHub and is HTML-escaped.
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

/** Who is looking: anyone (sign-in off) or a signed-in person, with how many rollbacks were withheld. */
export type PageAccess = { readonly kind: 'open' } | { readonly kind: 'signed-in'; readonly login: string; readonly hidden: number; readonly signOutPath: string };

const STYLE = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1f2328}
h1{font-size:1.4em}section{border:1px solid #d0d7de;border-radius:6px;padding:.8em 1em;margin:1em 0}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.2em .8em .2em 0;text-align:left;vertical-align:top}
table.waves td,table.waves th{border-top:1px solid #d0d7de;padding:.3em .8em .3em 0}tr.wave th{background:#f6f8fa;padding-left:.4em}
.status{font-weight:600}.completed,.merged,.verified,.mergeable{color:#1a7f37}.stopped,.denied,.aborted,.failed,.conflict,.checks_failed,.merge_blocked,.compensation_failed{color:#cf222e}.running,.awaiting_approval,.checks_pending,.pr_open,.branch_pushed,.planned{color:#9a6700}
small{color:#656d76}.access{padding:.5em 1em;border-radius:6px;background:#f6f8fa;border:1px solid #d0d7de}.access.open{background:#fff8c5;border-color:#d4a72c}
.access form{display:inline}.access button{font:inherit}`;

function frame(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
${STYLE}
</style></head><body>
${body}
</body></html>
`;
}

export function renderRollbacksPage(items: readonly ListedRollback[], generatedAt: Date, opts: { access?: PageAccess } = {}): string {
  const access = opts.access ?? { kind: 'open' };
  const rows = items.map(({ state }) => renderRollback(state)).join('\n');
  const banner =
    access.kind === 'open'
      ? '<p class="access open" id="access">Sign-in is off (<code>UNWIND_DASHBOARD_AUTH=off</code>): everyone who can reach this port sees every rollback, private repositories included. Keep it inside a trusted network.</p>'
      : `<div class="access" id="access">Signed in with GitHub as <strong>${esc(access.login)}</strong>. You see the rollbacks whose repositories you can all read${access.hidden > 0 ? `; ${access.hidden} other rollback(s) involve repositories you cannot read and are not shown` : ''}. <form method="post" action="${esc(access.signOutPath)}"><button type="submit">Sign out</button></form></div>`;
  return frame('Unwind rollbacks', `<h1>Unwind rollbacks</h1>
${banner}
<p><small>${items.length} rollback(s) shown, newest first · generated ${esc(generatedAt.toISOString())} · read-only</small></p>
${rows || '<p>No rollbacks yet.</p>'}`);
}

/** A short page for sign-in trouble (not configured, a mismatched state, GitHub refusing), with a way back. */
export function renderSignInProblem(message: string, retryHref?: string, retryText = 'Try again'): string {
  return frame('Unwind rollbacks: sign-in', `<h1>Unwind rollbacks</h1>
<p class="access" id="problem">${esc(message)}</p>
${retryHref ? `<p><a href="${esc(retryHref)}">${esc(retryText)}</a></p>` : ''}`);
}

/** GitHub's web address of `owner/repo`, from the tracking issue's URL (same host). */
function repoHref(s: RollbackState, repo: string): string {
  const suffix = `/${s.tracking.repo}/issues/${s.tracking.number}`;
  const base = s.tracking.url.endsWith(suffix) ? s.tracking.url.slice(0, -suffix.length) : null;
  return base !== null ? safeUrl(`${base}/${repo}`) : '#';
}

/** Who the rollback waits for, as the tracking issue says it. */
function waitingFor(s: RollbackState): string {
  const missing = Math.max(1, s.decision.approvalsRequired - s.approvals.length);
  const who = [...s.decision.approverTeams.map((t) => `team ${t}`), ...s.decision.approverUsers.map((u) => `@${u}`)];
  return `<div class="status awaiting_approval" id="${esc(s.id)}-waiting">waiting for ${missing} approval(s)${who.length ? ` from ${esc(who.join(' or '))}` : ''}: <code>/rollback approve</code> on the tracking issue</div>`;
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
  const waves: string[] = [];
  for (let wave = 0; wave < s.waveCount; wave++) {
    const steps = s.steps.filter((st) => st.wave === wave);
    const when = t.waves.find((w) => w.wave === wave);
    waves.push(`<tr class="wave"><th colspan="5">Wave ${wave + 1} of ${s.waveCount}${when ? ` <small>${esc(when.startedAt)} → ${esc(when.endedAt ?? '…')}</small>` : wave === s.wave && s.status === 'running' ? ' <small>current</small>' : ''}</th></tr>`);
    for (const st of steps) {
      waves.push(`<tr class="step" data-repo="${esc(st.repo)}"><td><a href="${repoHref(s, st.repo)}">${esc(st.repo)}</a></td><td>${esc(st.kind)}</td><td class="status ${esc(st.state)}">${esc(st.state.replaceAll('_', ' '))}</td><td>${st.pr ? `<a href="${safeUrl(st.pr.url)}">#${st.pr.number}</a>` : ''}</td><td><small>${esc(st.detail ?? '')}</small></td></tr>`);
    }
  }
  return `<section id="${esc(s.id)}">
<div><a href="${safeUrl(s.tracking.url)}"><strong>${esc(s.id)}</strong></a> <span class="status ${esc(s.status)}">${esc(s.status.replaceAll('_', ' '))}</span> · ${esc(s.trigger === 'auto' ? 'automatic' : `@${s.requestedBy}`)} · ${esc(s.summary)}</div>
<div><small>asked on <a href="${safeUrl(s.origin.url)}">${esc(s.origin.repo)}#${s.origin.number}</a>${s.reason ? ` · reason: ${esc(s.reason)}` : ''} · tracked in <a href="${safeUrl(s.tracking.url)}">${esc(s.tracking.repo)}#${s.tracking.number}</a></small></div>
${s.status === 'awaiting_approval' ? waitingFor(s) : ''}
<table class="waves"><tr><th>repository</th><th>kind</th><th>state</th><th>PR</th><th>detail</th></tr>${waves.join('')}</table>
<table><tr><th>timeline</th><td></td></tr>${timeline.filter(([, at]) => at).map(([what, at]) => `<tr><td>${esc(what)}</td><td>${esc(at ?? '')}</td></tr>`).join('')}</table>
</section>`;
}

/** Tracking issue bodies can be edited by people: only http(s) links are ever rendered as links. */
function safeUrl(url: string): string {
  return /^https?:\/\//i.test(url) ? esc(url) : '#';
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
