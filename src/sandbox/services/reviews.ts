/** Pull request reviews: submit one and emit pull_request_review.submitted. */
import type { SandboxContext } from '../context.ts';
import { nextId } from '../context.ts';
import { HttpError } from '../http/http-error.ts';
import type { PullState, RepoState, ReviewState } from '../state/model.ts';
import { isoSeconds } from '../state/initial-state.ts';
import { issueOfPull, pullRequest } from '../objects/pull-request.ts';
import { review as reviewObject } from '../objects/review.ts';
import { emitWebhook } from '../webhooks/emit.ts';

const STATE_OF = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' } as const;

export function submitReview(
  ctx: SandboxContext,
  repo: RepoState,
  pull: PullState,
  user: string,
  event: 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT',
  body = '',
): ReviewState {
  if (!(event in STATE_OF)) throw new HttpError(422, `Unprocessable Entity: "event" must be one of APPROVE, REQUEST_CHANGES, COMMENT`);
  const issue = issueOfPull(ctx, pull);
  if (issue.user === user && event !== 'COMMENT') {
    throw new HttpError(422, event === 'APPROVE' ? 'Can not approve your own pull request' : 'Can not request changes on your own pull request');
  }
  if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && body === '') {
    throw new HttpError(422, `Body is required when using ${event}.`);
  }
  const r: ReviewState = {
    id: nextId(ctx),
    repo: pull.repo,
    pullNumber: pull.number,
    user,
    state: STATE_OF[event],
    body,
    commitId: pull.headSha,
    submittedAt: isoSeconds(ctx.now()),
  };
  ctx.state.reviews.push(r);
  pull.requestedReviewers = pull.requestedReviewers.filter((x) => x !== user);
  ctx.save();
  emitWebhook(ctx, {
    event: 'pull_request_review',
    action: 'submitted',
    repo,
    sender: user,
    payload: { review: { ...reviewObject(ctx, r), state: r.state.toLowerCase() }, pull_request: pullRequest(ctx, pull) },
  });
  return r;
}
