/** `/rollback status [id]`: a short reply with the live state of a rollback. */
import { mdText } from '../shared/markdown.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { listRollbacks, resolveRollback } from './find-rollback.ts';
import { replyOnce } from './reply.ts';
import { ActorAccess } from './actor-access.ts';
import { refuseUnreadableRollback } from './guard-visibility.ts';

export async function reportStatus(env: CommandEnv, facts: CommentFacts, id: string | null): Promise<void> {
  const port = env.client.port;
  const found = await resolveRollback(port, env.trust, facts.repo, facts.issueNumber, id);
  if (!found) {
    const active = await listRollbacks(port, facts.repo, env.trust, 'open');
    const list = active.map((r) => `- \`${r.state.id}\` (${r.state.status}): ${r.issue.htmlUrl}`);
    return replyOnce(port, facts, list.length ? `No rollback${id ? ` \`${id}\`` : ''} is tied to this thread. Active rollbacks in this repository:\n${list.join('\n')}` : `No rollback${id ? ` \`${id}\`` : ''} found here.`);
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
