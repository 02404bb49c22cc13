/**
 * The end of a veto window: unless something stopped it meanwhile (the label or the marker on the
 * culprit PR, or a fix that turned the trigger green on the branch), the automatic revert starts.
 * Returns 'waiting' when the window has not ended yet.
 */
import { loadContract } from '../../config/load-contract.ts';
import { parseRepo } from '../../shared/repo-name.ts';
import type { CommandEnv } from '../command-env.ts';
import { optedOut, triggerState } from '../auto-revert.ts';
import { CONFIG_REPO } from '../plan-request.ts';
import { cancelWindow, goAhead } from './close-window.ts';
import { findPending, type FoundPending } from './pending-revert.ts';
import { ensureAnnounced, outcomeOf, type PendingState } from './announce-revert.ts';

/** Cancels the window when its trigger passes at the tip of its branch (a fix was merged); true if it did. */
export async function cancelIfFixed(env: CommandEnv, found: FoundPending): Promise<boolean> {
  const r = found.record;
  const repo = parseRepo(r.culprit.repo);
  const tip = await env.client.port.getBranchSha(repo, r.trigger.branch);
  if (!tip || tip === r.trigger.sha || (await triggerState(env.client.port, { repo, kind: r.trigger.kind, name: r.trigger.name }, tip)) !== 'success') return false;
  await cancelWindow(env, found, { actor: env.botLogin, via: 'fixed', why: `${r.trigger.kind} "${r.trigger.name}" passes again on ${r.trigger.branch} at ${tip.slice(0, 7)}` });
  return true;
}

export async function decideWindow(env: CommandEnv, id: string, org: string): Promise<PendingState> {
  const port = env.client.port;
  // 1. Read it again: a cancel may have closed it since the timer was set.
  const found: FoundPending | null = await findPending(port, { owner: org, repo: CONFIG_REPO }, env.trust, id);
  if (!found) return 'cancelled';
  if (found.issue.state === 'closed') return outcomeOf(env, found);
  await ensureAnnounced(env, found);
  const r = found.record;
  if (env.now().getTime() < Date.parse(r.deadline)) return 'waiting';
  const repo = parseRepo(r.culprit.repo);
  // 2. Opted out meanwhile (label or marker)?
  const pull = await port.getPull(repo, r.culprit.number);
  const marker = (await loadContract(port, { owner: repo.owner, repo: repo.repo, configRepo: CONFIG_REPO })).loaded.contract?.auto_revert.no_revert_marker ?? '';
  const optOut = pull ? await optedOut(port, repo, pull, marker) : null;
  if (optOut) {
    await cancelWindow(env, found, { actor: env.botLogin, via: optOut.startsWith('label') ? 'label' : 'marker', why: `the pull request is exempt from automatic reverts (${optOut})` });
    return 'cancelled';
  }
  // 3. Fixed meanwhile: the trigger passes at the branch's tip.
  if (await cancelIfFixed(env, found)) return 'cancelled';
  // 4. Nobody objected: revert.
  await goAhead(env, found);
  return 'started';
}
