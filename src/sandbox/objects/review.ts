/** `pull-request-review` objects. */
import type { SandboxContext } from '../context.ts';
import type { ReviewState } from '../state/model.ts';
import { authorAssociation, repoOf } from './issue.ts';
import { userByLogin } from './simple-user.ts';
import { nodeId, repoApi, repoHtml } from './urls.ts';

export function review(ctx: SandboxContext, r: ReviewState): Record<string, unknown> {
  const repo = repoOf(ctx, r.repo);
  const html = repoHtml(ctx, repo.owner, repo.name, `/pull/${r.pullNumber}#pullrequestreview-${r.id}`);
  const pr = repoApi(ctx, repo.owner, repo.name, `/pulls/${r.pullNumber}`);
  return {
    id: r.id,
    node_id: nodeId('PRR_', r.id),
    user: userByLogin(ctx, r.user),
    body: r.body,
    state: r.state,
    html_url: html,
    pull_request_url: pr,
    _links: { html: { href: html }, pull_request: { href: pr } },
    submitted_at: r.submittedAt,
    commit_id: r.commitId,
    author_association: authorAssociation(ctx, r.user, repo),
  };
}
