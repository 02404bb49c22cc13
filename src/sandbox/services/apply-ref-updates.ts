/** What GitHub does after refs move (git push, merge, REST ref writes): push webhook, PR sync, mergeability, CI. */
import type { SandboxContext } from '../context.ts';
import type { RepoState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { noreplyEmail } from '../objects/commit.ts';
import { pullRequest } from '../objects/pull-request.ts';
import { emitWebhook } from '../webhooks/emit.ts';
import { refreshMergeability } from './mergeability.ts';
import { pushPayload, ZERO } from './push-payload.ts';
import { repoKey } from './repo-key.ts';
import { runCI } from './run-ci.ts';

export interface RefUpdate {
  ref: string;
  before: string;
  after: string;
}

function openPulls(ctx: SandboxContext, key: string) {
  return ctx.state.pulls.filter(
    (p) => p.repo === key && !p.merged && ctx.state.issues.some((i) => i.repo === key && i.number === p.number && i.state === 'open'),
  );
}

export async function applyRefUpdates(ctx: SandboxContext, repo: RepoState, updates: RefUpdate[], pusherLogin: string): Promise<void> {
  const key = repoKey(repo);
  const git = ctx.git(key);
  const acc = ctx.state.accounts[pusherLogin];
  const pusher = { name: pusherLogin, email: acc ? (acc.email ?? noreplyEmail(acc)) : `${pusherLogin}@users.noreply.github.com` };
  for (const u of updates) {
    if (!u.ref.startsWith('refs/heads/') && !u.ref.startsWith('refs/tags/')) continue;
    const at = isoSeconds(ctx.now());
    repo.pushedAt = at;
    repo.updatedAt = at;
    ctx.save();
    emitWebhook(ctx, { event: 'push', repo, sender: pusherLogin, payload: await pushPayload(ctx, repo, u, pusher) });
    if (!u.ref.startsWith('refs/heads/') || u.after === ZERO) continue;
    const branch = u.ref.slice('refs/heads/'.length);
    for (const pull of openPulls(ctx, key)) {
      if (pull.headRef === branch && pull.headSha !== u.after) {
        const before = pull.headSha;
        pull.headSha = u.after;
        const issue = ctx.state.issues.find((i) => i.repo === key && i.number === pull.number);
        if (issue) issue.updatedAt = at;
        await git.updateRef(`refs/pull/${pull.number}/head`, u.after);
        refreshMergeability(ctx, pull);
        emitWebhook(ctx, {
          event: 'pull_request',
          action: 'synchronize',
          repo,
          sender: pusherLogin,
          payload: { number: pull.number, before, after: u.after, pull_request: pullRequest(ctx, pull) },
        });
      } else if (pull.baseRef === branch) {
        if (await git.isAncestor(pull.headSha, u.after)) {
          markMergedByPush(ctx, repo, pull.number, u.after, pusherLogin);
        } else {
          refreshMergeability(ctx, pull);
        }
      }
    }
    runCI(ctx, repo, u.after);
  }
}

function markMergedByPush(ctx: SandboxContext, repo: RepoState, number: number, sha: string, by: string): void {
  const key = repoKey(repo);
  const pull = ctx.state.pulls.find((p) => p.repo === key && p.number === number);
  const issue = ctx.state.issues.find((i) => i.repo === key && i.number === number);
  if (!pull || !issue) return;
  const at = isoSeconds(ctx.now());
  pull.merged = true;
  pull.mergedAt = at;
  pull.mergedBy = by;
  pull.mergeCommitSha = sha;
  issue.state = 'closed';
  issue.closedAt = at;
  issue.closedBy = by;
  issue.updatedAt = at;
  ctx.save();
  emitWebhook(ctx, { event: 'pull_request', action: 'closed', repo, sender: by, payload: { number, pull_request: pullRequest(ctx, pull) } });
}
