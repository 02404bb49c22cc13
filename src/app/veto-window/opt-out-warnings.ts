/**
 * A manual `/rollback` of a PR that opted out of automatic reverts (label `unwind:no-revert`) still
 * runs: the opt-out is about bots, not people. The plan says so, so nobody is surprised.
 */
import type { Target } from '../../commands/parse-command.ts';
import type { GitHubPort } from '../../github/port.ts';
import { NO_REVERT_LABEL } from './pending-revert.ts';

export async function optOutWarnings(port: GitHubPort, targets: readonly Target[], auto: boolean): Promise<string[]> {
  if (auto) return [];
  const out: string[] = [];
  for (const t of targets) {
    if (t.kind !== 'pull') continue;
    const labels = (await port.getIssue({ owner: t.owner, repo: t.repo }, t.number))?.labels ?? [];
    if (labels.includes(NO_REVERT_LABEL)) out.push(`${t.owner}/${t.repo}#${t.number} is labelled ${NO_REVERT_LABEL}: it is exempt from automatic reverts, but this rollback was asked for by a person and goes ahead.`);
  }
  return out;
}
