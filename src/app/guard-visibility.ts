/**
 * Nothing of a repository is shown to a person who cannot read it, and nothing is done for them
 * there: each check returns the reply that refuses (naming only what the person named), or null.
 */
import type { Target } from '../commands/parse-command.ts';
import type { RollbackState } from '../execution/state.ts';
import type { ActorAccess } from './actor-access.ts';
import { mdText } from '../shared/markdown.ts';

/** Repositories the person named themselves: saying which ones they cannot read reveals nothing new. */
export async function refuseUnreadableTargets(access: ActorAccess, targets: readonly Target[]): Promise<string | null> {
  const hidden = await access.unreadable(targets.map((t) => `${t.owner}/${t.repo}`));
  if (hidden.length === 0) return null;
  return `@${access.login}, you cannot read ${hidden.map((r) => mdText(r)).join(', ')}, so nothing was done and nothing about ${hidden.length === 1 ? 'it' : 'them'} is shown here.`;
}

/** Repositories a plan reached on its own (dependents, groups, `_extends`): never named to someone who cannot read them. */
export async function refuseUnreadablePlan(access: ActorAccess, p: { repos: readonly string[]; extendsFrom: readonly string[] }): Promise<string | null> {
  const hidden = await access.unreadable(p.repos);
  if (hidden.length) {
    return `@${access.login}, ${hidden.length} of the repositories this rollback would touch ${hidden.length === 1 ? 'is' : 'are'} not visible to you, so nothing was done and the plan is not shown. Ask someone who can read every repository involved.`;
  }
  const sources = await access.unreadable(p.extendsFrom);
  if (sources.length) {
    return `@${access.login}, the rollback contracts involved extend configuration (\`_extends\`) from ${sources.length} repositor${sources.length === 1 ? 'y' : 'ies'} not visible to you, so nothing was done. Ask someone who can read them.`;
  }
  return null;
}

/** A command on an existing rollback (approve, abort, retry, status) needs read access to every repository it touches. */
export async function refuseUnreadableRollback(access: ActorAccess, state: Pick<RollbackState, 'id' | 'steps' | 'tracking'>): Promise<string | null> {
  // The tracking issue too: a rollback found by id may be tracked in another (private) repository.
  const hidden = await access.unreadable([...new Set([...state.steps.map((s) => s.repo), state.tracking.repo])]);
  if (hidden.length === 0) return null;
  return `@${access.login}, rollback \`${state.id}\` touches ${hidden.length} repositor${hidden.length === 1 ? 'y' : 'ies'} not visible to you, so nothing was done and nothing about it is shown here.`;
}
