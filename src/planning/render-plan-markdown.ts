/** Markdown for the tracking issue: the plan wave by wave, before anything happens. */
import { mdCode, mdLink, mdText } from '../shared/markdown.ts';
import type { PlanMessage, PlanStep, RollbackPlan } from './types.ts';

export function renderPlanMarkdown(plan: RollbackPlan, messages: { warnings?: readonly PlanMessage[] } = {}): string {
  const s = plan.summary;
  const lines: string[] = [
    '### Rollback plan',
    '',
    `Targets: ${plan.targets.map((t) => mdCode(t)).join(', ') || '_none_'}  `,
    `${s.waves} wave(s), ${s.steps} step(s) in ${s.repos} repo(s): ${s.pulls} PR(s), ${s.commits} commit(s), ${s.compensations} compensation(s). Planned at ${plan.plannedAt}.`,
  ];
  for (const wave of plan.waves) {
    lines.push('', `#### Wave ${wave.index + 1}`, '', '| step | repo | service | undo | merge | wait for | compensations |', '|---|---|---|---|---|---|---|');
    wave.steps.forEach((step, i) => lines.push(row(step, `${wave.index + 1}.${i + 1}`)));
  }
  const warnings = messages.warnings ?? [];
  if (warnings.length > 0) {
    lines.push('', '#### Warnings', '');
    for (const w of warnings) lines.push(`- ${mdText(w.message)}`);
  }
  return `${lines.join('\n')}\n`;
}

function row(step: PlanStep, id: string): string {
  const undo = [
    ...step.pulls.map((p) => `${step.action === 'compensate' ? '(compensate) ' : ''}${mdLink(`#${p.number}`, p.url)} ${mdText(p.title)}${p.reason === 'target' ? '' : ` _(${p.reason})_`}`),
    ...step.commits.map((c) => `${mdCode(c.sha.slice(0, 7))} ${mdText(c.message.split('\n')[0])}`),
  ];
  if (undo.length === 0 && step.action === 'compensate') undo.push('_compensation only_');
  const comps = step.compensations.map((c) => `${mdCode(c.id)} ${c.when.replace('_', ' ')} (${mdCode(c.workflow)}, on failure: ${c.onFailure})`);
  const merge = step.action === 'compensate' ? '—' : `${step.mergeMethod}${step.autoMerge ? '' : ' (manual)'}`;
  const wait = step.waitForChecks.length > 0 ? step.waitForChecks.map((c) => mdCode(c)).join(', ') : step.action === 'compensate' ? '—' : 'required checks';
  const service = step.group === null ? mdText(step.service) : `${mdText(step.service)} (group ${mdText(step.group)})`;
  return `| ${id} | ${mdText(step.repo)} | ${service} | ${undo.join('<br>')} | ${merge} | ${wait} | ${comps.join('<br>') || '—'} |`;
}
