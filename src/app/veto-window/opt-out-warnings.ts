/**
 * A manual `/rollback` of a PR that opted out of automatic reverts (label `unwind:no-revert`, or the
 * contract's `auto_revert.no_revert_marker` in its description) still runs: the opt-out is about
 * bots, not people. The plan says so, so nobody is surprised.
 */
import type { Target } from '../../commands/parse-command.ts';
import { loadContract } from '../../config/load-contract.ts';
import type { GitHubPort } from '../../github/port.ts';
import { optedOut } from '../auto-revert.ts';
import { CONFIG_REPO } from '../plan-request.ts';

export async function optOutWarnings(port: GitHubPort, targets: readonly Target[], auto: boolean): Promise<string[]> {
  if (auto) return [];
  const out: string[] = [];
  for (const t of targets) {
    if (t.kind !== 'pull') continue;
    const repo = { owner: t.owner, repo: t.repo };
    const pull = await port.getPull(repo, t.number);
    if (!pull) continue; // the planner reports a PR it cannot see
    const marker = (await loadContract(port, { ...repo, configRepo: CONFIG_REPO })).loaded.contract?.auto_revert.no_revert_marker ?? '';
    const why = await optedOut(port, repo, pull, marker);
    if (why) out.push(`${t.owner}/${t.repo}#${t.number} is exempt from automatic reverts (${why}), but this rollback was asked for by a person and goes ahead.`);
  }
  return out;
}
