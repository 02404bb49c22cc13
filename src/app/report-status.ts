/** `/rollback status [id]`: a short reply with the live state of a rollback. */
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { listRollbacks, resolveRollback } from './find-rollback.ts';
import { replyOnce } from './reply.ts';

export async function reportStatus(env: CommandEnv, facts: CommentFacts, id: string | null): Promise<void> {
  const port = env.client.port;
  const found = await resolveRollback(port, facts.repo, facts.issueNumber, id);
  if (!found) {
    const active = await listRollbacks(port, facts.repo, 'open');
    const list = active.map((r) => `- \`${r.state.id}\` (${r.state.status}): ${r.issue.htmlUrl}`);
    return replyOnce(port, facts, list.length ? `No rollback${id ? ` \`${id}\`` : ''} is tied to this thread. Active rollbacks in this repository:\n${list.join('\n')}` : `No rollback${id ? ` \`${id}\`` : ''} found here.`);
  }
  const s = found.state;
  const rows = s.steps.map((st) => `| ${st.wave + 1} | ${st.repo} | \`${st.state}\` | ${st.pr ? st.pr.url : '—'} |`);
  await replyOnce(
    port,
    facts,
    [`Rollback \`${s.id}\` is **${s.status}**${s.status === 'running' || s.status === 'stopped' ? ` at wave ${Math.min(s.wave + 1, s.waveCount)} of ${s.waveCount}` : ''} — ${s.tracking.url}`, '', '| wave | repository | state | pull request |', '|---|---|---|---|', ...rows].join('\n'),
  );
}
