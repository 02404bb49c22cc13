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
import { mapBounded } from '../../shared/map-bounded.ts';

/** Targets looked at together (each is a PR read, its contract and perhaps its labels). */
const TARGETS_AT_ONCE = 8;

export async function optOutWarnings(port: GitHubPort, targets: readonly Target[], auto: boolean): Promise<string[]> {
  if (auto) return [];
  // The targets together: this runs beside planning, before the first revert.
  const warnings = await mapBounded(targets, TARGETS_AT_ONCE, async (t) => {
    if (t.kind !== 'pull') return null;
    const repo = { owner: t.owner, repo: t.repo };
    const [pull, contract] = await Promise.all([port.getPull(repo, t.number), loadContract(port, { ...repo, configRepo: CONFIG_REPO })]);
    if (!pull) return null; // the planner reports a PR it cannot see
    const why = await optedOut(port, repo, pull, contract.loaded.contract?.auto_revert.no_revert_marker ?? '');
    return why ? `${t.owner}/${t.repo}#${t.number} is exempt from automatic reverts (${why}), but this rollback was asked for by a person and goes ahead.` : null;
  });
  return warnings.filter((w): w is string => w !== null);
}
