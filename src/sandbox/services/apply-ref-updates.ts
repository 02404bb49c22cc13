/** What GitHub does after refs move (git push, merge, REST ref writes): push webhook, PR sync, mergeability, CI. */
import type { SandboxContext } from '../context.ts';
import type { PullState, RepoState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { gitIdentity } from '../objects/commit.ts';
import { isOpenPull, issueOfPull, pullRequest } from '../objects/pull-request.ts';
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

export async function applyRefUpdates(ctx: SandboxContext, repo: RepoState, updates: RefUpdate[], pusherLogin: string): Promise<void> {
  const key = repoKey(repo);
  const git = ctx.git(key);
  const pusher = { name: pusherLogin, email: gitIdentity(ctx, pusherLogin).email };
  for (const u of updates) {
    if (!u.ref.startsWith('refs/heads/') && !u.ref.startsWith('refs/tags/')) continue;
    const at = isoSeconds(ctx.now());
    repo.pushedAt = at;
    repo.updatedAt = at;
    ctx.save();
    // GitHub answers before it delivers the push webhook: the payload (the commits pushed, with their files) is
    // built in the background, from the default branch's tip as it is now.
    const defaultTip = u.before === ZERO ? await git.resolve(`refs/heads/${repo.defaultBranch}`) : null;
    ctx.jobs.run('push webhook', async () => emitWebhook(ctx, { event: 'push', repo, sender: pusherLogin, payload: await pushPayload(ctx, repo, u, pusher, defaultTip) }));
    if (!u.ref.startsWith('refs/heads/') || u.after === ZERO) continue;
    const branch = u.ref.slice('refs/heads/'.length);
    for (const pull of ctx.state.pulls.filter((p) => p.repo === key && isOpenPull(ctx, p))) {
      if (pull.headRef === branch && pull.headSha !== u.after) {
        const before = pull.headSha;
        pull.headSha = u.after;
        issueOfPull(ctx, pull).updatedAt = at;
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
          recordMerged(ctx, repo, pull, u.after, pusherLogin);
        } else {
          refreshMergeability(ctx, pull);
        }
      }
    }
    runCI(ctx, repo, u.after, branch);
  }
}

/** Marks the PR merged at `sha` by `by`, closes its issue, saves and emits `pull_request.closed`. */
export function recordMerged(ctx: SandboxContext, repo: RepoState, pull: PullState, sha: string, by: string): void {
  const issue = issueOfPull(ctx, pull);
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
  emitWebhook(ctx, { event: 'pull_request', action: 'closed', repo, sender: by, payload: { number: pull.number, pull_request: pullRequest(ctx, pull) } });
}
