/**
 * Titles, bodies and commit messages of revert pull requests (SPEC §5). The body is markdown (user text
 * through `mdText`); titles and commit messages are plain text, kept to one line without control characters.
 */
import { mdCode, mdText, plainLine } from '../shared/markdown.ts';
import type { RollbackState, StepState, RevertTarget } from './state.ts';

export function revertCommitMessage(state: RollbackState, repo: string, target: RevertTarget): string {
  const origin = target.number ? ` (${repo}#${target.number})` : '';
  return [`Revert "${oneLine(target.title)}"`, '', `This reverts commit ${target.sha}${origin}.`, `Tracking issue: ${state.tracking.url}`, '', `Rollback-Id: ${state.id}`, ''].join('\n');
}

export function revertPullTitle(step: StepState): string {
  const [first, ...rest] = step.targets;
  const title = `Revert "${oneLine(first?.title ?? step.service)}"`;
  return rest.length ? `${title} and ${rest.length} more` : title;
}

export function revertPullBody(state: RollbackState, step: StepState): string {
  return [
    `This pull request is part of rollback \`${state.id}\` (${state.tracking.url}), wave ${step.wave + 1} of ${state.waveCount}.`,
    '',
    'It reverts:',
    ...step.targets.map((t) => `- ${t.number ? `${t.url} — ` : ''}${mdText(oneLine(t.title))} (${mdCode(t.sha.slice(0, 12))})`),
    '',
    `Requested by @${state.requestedBy}${state.reason ? `: ${mdText(oneLine(state.reason))}` : ''}.`,
    '',
    `Rollback-Id: ${state.id}`,
  ].join('\n');
}

/** One line of at most 200 characters, without control characters or bidi overrides. */
function oneLine(text: string): string {
  return plainLine(text).replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Body of the merge (or squash) commit of a revert PR: what it reverts, and the trailer. */
export function revertMergeMessage(state: RollbackState, step: StepState): string {
  return [...step.targets.map((t) => `This reverts commit ${t.sha}${t.number ? ` (${step.repo}#${t.number})` : ''}.`), `Tracking issue: ${state.tracking.url}`, '', `Rollback-Id: ${state.id}`].join('\n');
}
