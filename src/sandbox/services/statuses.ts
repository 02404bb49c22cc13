/** Commit statuses (legacy Statuses API): create one and emit the `status` webhook. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import type { RepoState, StatusState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { status as statusObject } from '../objects/checks.ts';
import { commitObject } from '../objects/commit.ts';
import { repoApi } from '../objects/urls.ts';
import { emitWebhook } from '../webhooks/emit.ts';
import { repoKey } from './repo-key.ts';

export async function createStatus(
  ctx: SandboxContext,
  repo: RepoState,
  creator: string,
  p: { sha: string; state: StatusState['state']; context: string; description?: string | null; targetUrl?: string | null },
): Promise<StatusState> {
  const at = isoSeconds(ctx.now());
  const s: StatusState = {
    id: nextId(ctx),
    repo: repoKey(repo),
    sha: p.sha,
    state: p.state,
    context: p.context,
    description: p.description ?? null,
    targetUrl: p.targetUrl ?? null,
    creator,
    createdAt: at,
    updatedAt: at,
  };
  ctx.state.statuses.push(s);
  ctx.save();
  const git = ctx.git(s.repo);
  const commit = await git.getCommit(p.sha);
  if (commit) {
    const branches: Record<string, unknown>[] = [];
    for (const [ref, tip] of await git.listRefs('refs/heads/')) {
      if (branches.length >= 10) break;
      if (tip !== p.sha) continue;
      const name = ref.slice('refs/heads/'.length);
      branches.push({ name, commit: { sha: tip, url: repoApi(ctx, repo.owner, repo.name, `/commits/${tip}`) }, protected: !!repo.protection[name] });
    }
    const obj = statusObject(ctx, s);
    emitWebhook(ctx, {
      event: 'status',
      repo,
      sender: creator,
      payload: {
        id: s.id,
        sha: s.sha,
        name: `${repo.owner}/${repo.name}`,
        target_url: s.targetUrl,
        avatar_url: obj.avatar_url,
        context: s.context,
        description: s.description,
        state: s.state,
        commit: commitObject(ctx, repo, commit),
        branches,
        created_at: s.createdAt,
        updated_at: s.updatedAt,
      },
    });
  }
  return s;
}
