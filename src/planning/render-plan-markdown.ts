/** Markdown for the tracking issue: the plan wave by wave, before anything happens. */
import type { PlanMessage, PlanStep, RollbackPlan } from './types.ts';

export function renderPlanMarkdown(plan: RollbackPlan, messages: { warnings?: readonly PlanMessage[] } = {}): string {
  const s = plan.summary;
  const lines: string[] = [
    '### Rollback plan',
    '',
    `Targets: ${plan.targets.map(code).join(', ') || '_none_'}  `,
    `${s.waves} wave(s), ${s.steps} step(s) in ${s.repos} repo(s): ${s.pulls} PR(s), ${s.commits} commit(s), ${s.compensations} compensation(s). Planned at ${plan.plannedAt}.`,
  ];
  for (const wave of plan.waves) {
    lines.push('', `#### Wave ${wave.index + 1}`, '', '| step | repo | service | undo | merge | wait for | compensations |', '|---|---|---|---|---|---|---|');
    wave.steps.forEach((step, i) => lines.push(row(step, `${wave.index + 1}.${i + 1}`)));
  }
  const warnings = messages.warnings ?? [];
  if (warnings.length > 0) {
    lines.push('', '#### Warnings', '');
    for (const w of warnings) lines.push(`- ${escape(w.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

function row(step: PlanStep, id: string): string {
  const undo = [
    ...step.pulls.map((p) => `${step.action === 'compensate' ? '(compensate) ' : ''}${link(`#${p.number}`, p.url)} ${escape(p.title)}${p.reason === 'target' ? '' : ` _(${p.reason})_`}`),
    ...step.commits.map((c) => `${code(c.sha.slice(0, 7))} ${escape(c.message.split('\n')[0])}`),
  ];
  if (undo.length === 0 && step.action === 'compensate') undo.push('_compensation only_');
  const comps = step.compensations.map((c) => `${code(c.id)} ${c.when.replace('_', ' ')} (${code(c.workflow)}, on failure: ${c.onFailure})`);
  const merge = step.action === 'compensate' ? '—' : `${step.mergeMethod}${step.autoMerge ? '' : ' (manual)'}`;
  const wait = step.waitForChecks.length > 0 ? step.waitForChecks.map(code).join(', ') : step.action === 'compensate' ? '—' : 'required checks';
  const service = step.group === null ? escape(step.service) : `${escape(step.service)} (group ${escape(step.group)})`;
  return `| ${id} | ${escape(step.repo)} | ${service} | ${undo.join('<br>')} | ${merge} | ${wait} | ${comps.join('<br>') || '—'} |`;
}

function link(text: string, url: string | null): string {
  return url === null ? text : `[${text}](${url})`;
}

function code(text: string): string {
  return `\`${text.replaceAll('`', "'")}\``;
}

/** Neutralise table breaks, mentions and HTML in user-written text. */
function escape(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('|', '\\|')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('@', '@\u200b')
    .replace(/\r?\n/g, ' ');
}
