/** `issue`, `issue-comment`, `label`, `reaction` objects. */
import type { SandboxContext } from '../context.ts';
import type { CommentState, IssueState, LabelState, ReactionState, RepoState } from '../state/model.ts';
import { userRole } from '../auth/access.ts';
import { integration } from './integration.ts';
import { userByLogin } from './simple-user.ts';
import { nodeId, repoApi, repoHtml, enc } from './urls.ts';

export function repoOf(ctx: SandboxContext, key: string): RepoState {
  const r = ctx.state.repos[key];
  if (!r) throw new Error(`sandbox: unknown repo ${key}`);
  return r;
}

export function authorAssociation(ctx: SandboxContext, login: string, repo: RepoState): string {
  if (login === repo.owner) return 'OWNER';
  const owner = ctx.state.accounts[repo.owner];
  if (owner?.members?.[login]) return 'MEMBER';
  if (repo.collaborators[login] || userRole(ctx, login, repo)) return 'COLLABORATOR';
  return 'NONE';
}

export function label(ctx: SandboxContext, repo: RepoState, l: LabelState): Record<string, unknown> {
  return {
    id: l.id,
    node_id: nodeId('LA', l.id),
    url: repoApi(ctx, repo.owner, repo.name, `/labels/${enc(l.name)}`),
    name: l.name,
    description: l.description,
    color: l.color,
    default: false,
  };
}

export function labelsOf(ctx: SandboxContext, repo: RepoState, names: string[]): Record<string, unknown>[] {
  return names.map((n) => repo.labels.find((l) => l.name === n)).filter((l): l is LabelState => !!l).map((l) => label(ctx, repo, l));
}

export function reactionRollup(ctx: SandboxContext, url: string, reactions: ReactionState[]): Record<string, unknown> {
  const count = (c: string): number => reactions.filter((r) => r.content === c).length;
  return {
    url: `${url}/reactions`,
    total_count: reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    hooray: count('hooray'),
    confused: count('confused'),
    heart: count('heart'),
    rocket: count('rocket'),
    eyes: count('eyes'),
  };
}

export function reaction(ctx: SandboxContext, r: ReactionState): Record<string, unknown> {
  return { id: r.id, node_id: nodeId('REA', r.id), user: userByLogin(ctx, r.user), content: r.content, created_at: r.createdAt };
}

export function issue(ctx: SandboxContext, i: IssueState): Record<string, unknown> {
  const repo = repoOf(ctx, i.repo);
  const url = repoApi(ctx, repo.owner, repo.name, `/issues/${i.number}`);
  const comments = ctx.state.comments.filter((c) => c.repo === i.repo && c.issueNumber === i.number).length;
  const out: Record<string, unknown> = {
    id: i.id,
    node_id: nodeId(i.isPull ? 'PR_I' : 'I', i.id),
    url,
    repository_url: repoApi(ctx, repo.owner, repo.name),
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: repoHtml(ctx, repo.owner, repo.name, `/${i.isPull ? 'pull' : 'issues'}/${i.number}`),
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: userByLogin(ctx, i.user),
    labels: labelsOf(ctx, repo, i.labels),
    assignee: i.assignees.length > 0 ? userByLogin(ctx, i.assignees[0]) : null,
    assignees: i.assignees.map((a) => userByLogin(ctx, a)),
    milestone: null,
    locked: i.locked,
    active_lock_reason: null,
    comments,
    closed_at: i.closedAt,
    created_at: i.createdAt,
    updated_at: i.updatedAt,
    closed_by: i.closedBy ? userByLogin(ctx, i.closedBy) : null,
    author_association: authorAssociation(ctx, i.user, repo),
    performed_via_github_app: i.viaApp ? integration(ctx) : null,
    reactions: reactionRollup(ctx, url, []),
    timeline_url: `${url}/timeline`,
  };
  if (i.isPull) {
    const pull = ctx.state.pulls.find((p) => p.repo === i.repo && p.number === i.number);
    out.draft = pull?.draft ?? false;
    out.pull_request = {
      url: repoApi(ctx, repo.owner, repo.name, `/pulls/${i.number}`),
      html_url: repoHtml(ctx, repo.owner, repo.name, `/pull/${i.number}`),
      diff_url: repoHtml(ctx, repo.owner, repo.name, `/pull/${i.number}.diff`),
      patch_url: repoHtml(ctx, repo.owner, repo.name, `/pull/${i.number}.patch`),
      merged_at: pull?.mergedAt ?? null,
    };
  }
  return out;
}

export function issueComment(ctx: SandboxContext, c: CommentState): Record<string, unknown> {
  const repo = repoOf(ctx, c.repo);
  const url = repoApi(ctx, repo.owner, repo.name, `/issues/comments/${c.id}`);
  const isPull = ctx.state.issues.some((i) => i.repo === c.repo && i.number === c.issueNumber && i.isPull);
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url,
    html_url: repoHtml(ctx, repo.owner, repo.name, `/${isPull ? 'pull' : 'issues'}/${c.issueNumber}#issuecomment-${c.id}`),
    body: c.body,
    user: userByLogin(ctx, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: repoApi(ctx, repo.owner, repo.name, `/issues/${c.issueNumber}`),
    author_association: authorAssociation(ctx, c.user, repo),
    performed_via_github_app: c.viaApp ? integration(ctx) : null,
    reactions: reactionRollup(ctx, url, c.reactions),
  };
}
