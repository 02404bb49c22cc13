/** `/rollback status [id]`: a short reply with the live state of a rollback. */
import { mdText } from '../shared/markdown.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { listRollbacks, lockHolderOf, resolveRollback } from './find-rollback.ts';
import { replyOnce } from './reply.ts';
import { ActorAccess } from './actor-access.ts';
import { refuseUnreadableRollback } from './guard-visibility.ts';

export async function reportStatus(env: CommandEnv, facts: CommentFacts, id: string | null): Promise<void> {
  const port = env.client.port;
  const found = await resolveRollback(port, env.trust, facts.repo, facts.issueNumber, id);
  if (!found) {
    // The rollbacks tracked here, and the one holding this repository in the org's registry (it may be tracked elsewhere).
    const [active, holder] = await Promise.all([listRollbacks(port, facts.repo, env.trust, 'open'), lockHolderOf(port, env.trust, facts.repo)]);
    const list = active.map((r) => `- \`${r.state.id}\` (${r.state.status}): ${r.issue.htmlUrl}`);
    const held = holder && !active.some((r) => r.state.id === holder.rollback) ? [`This repository is held by rollback \`${holder.rollback}\`${holder.tracking ? `: ${holder.tracking.url}` : ' (starting)'}.`] : [];
    const none = `No rollback${id ? ` \`${id}\`` : ''} ${list.length || held.length ? 'is tied to this thread.' : 'found here.'}`;
    return replyOnce(port, facts, [none, ...(list.length ? [`Active rollbacks in this repository:\n${list.join('\n')}`] : []), ...held].join('\n'));
  }
  const s = found.state;
  // Nothing of a rollback is shown to, or done for, someone who cannot read every repository it touches.
  const access = new ActorAccess(port, facts.actor, facts.actorIsBot);
  const hidden = await refuseUnreadableRollback(access, found.state);
  if (hidden) return replyOnce(port, facts, hidden);
  const rows = s.steps.map((st) => `| ${st.wave + 1} | ${mdText(st.repo)} | \`${st.state}\` | ${st.pr ? st.pr.url : '—'} |`);
  await replyOnce(
    port,
    facts,
    [`Rollback \`${s.id}\` is **${s.status}**${s.status === 'running' || s.status === 'stopped' ? ` at wave ${Math.min(s.wave + 1, s.waveCount)} of ${s.waveCount}` : ''} — ${s.tracking.url}`, '', '| wave | repository | state | pull request |', '|---|---|---|---|', ...rows].join('\n'),
  );
}
