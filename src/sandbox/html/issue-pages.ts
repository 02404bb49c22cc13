/** An issue, or a pull request with its checks, merge state, commits and diff: bodies and comments as GitHub renders them. */
import type { SandboxContext } from '../context.ts';
import type { IssueState, PullState, RepoState } from '../state/model.ts';
import { keyOf } from '../services/repo-key.ts';
import { latestChecks, mergeableState, protectionBlock, protectionOf } from '../services/evaluate-checks.ts';
import { settledMergeability } from '../services/mergeability.ts';
import { h, raw, type Html } from './escape.ts';
import { page } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import type { PageResult } from './repo-pages.ts';
import { commitRow, diffView, repoPath, userLink, when } from './view-helpers.ts';

function stateBadge(issue: IssueState, pull: PullState | undefined): Html {
  if (pull?.merged) return h`<span class="state merged">Merged</span>`;
  if (pull?.draft && issue.state === 'open') return h`<span class="state draft">Draft</span>`;
  return h`<span class="state ${issue.state}">${issue.state === 'open' ? 'Open' : 'Closed'}</span>`;
}

/** GitHub's reaction emoji; the name goes with it (a browser without an emoji font shows a box). */
const REACTION_EMOJI: Record<string, string> = { '+1': '👍', '-1': '👎', laugh: '😄', hooray: '🎉', confused: '😕', heart: '❤️', rocket: '🚀', eyes: '👀' };

function conversation(ctx: SandboxContext, repo: RepoState, issue: IssueState, merged = false): Html {
  const key = keyOf(repo.owner, repo.name);
  const comments = ctx.state.comments.filter((c) => c.repo === key && c.issueNumber === issue.number);
  const reviews = issue.isPull ? ctx.state.reviews.filter((r) => r.repo === key && r.pullNumber === issue.number) : [];
  const items = [
    ...comments.map((c) => ({ at: c.createdAt, html: h`<div class="box comment" id="issuecomment-${c.id}"><div class="head">${userLink(c.user)}${c.viaApp ? h`<span class="label">bot</span>` : ''} commented ${when(c.createdAt)}${c.reactions.length ? h` · <span class="reactions" title="${c.reactions.map((r) => `${r.user}: ${r.content}`).join(', ')}">${c.reactions.map((r) => `${REACTION_EMOJI[r.content] ?? ''} ${r.content}`.trim()).join(', ')}</span>` : ''}</div><div class="body markdown-body">${raw(renderMarkdown(c.body))}</div></div>` })),
    ...reviews.map((r) => ({ at: r.submittedAt, html: h`<div class="box review" id="pullrequestreview-${r.id}"><div class="head">${userLink(r.user)} ${r.state === 'APPROVED' ? 'approved these changes' : r.state === 'CHANGES_REQUESTED' ? 'requested changes' : 'reviewed'} ${when(r.submittedAt)}</div>${r.body ? h`<div class="body markdown-body">${raw(renderMarkdown(r.body))}</div>` : ''}</div>` })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return h`${items.map((i) => i.html)}${issue.state === 'closed' && !merged ? h`<p class="meta">Closed ${when(issue.closedAt)}${issue.closedBy ? h` by ${userLink(issue.closedBy)}` : ''}</p>` : ''}`;
}

function header(repo: RepoState, issue: IssueState, pull: PullState | undefined, kind: string): { crumbs: { text: string; href?: string }[]; top: Html } {
  return {
    crumbs: [
      { text: repo.owner, href: `/${encodeURIComponent(repo.owner)}` },
      { text: repo.name, href: repoPath(repo) },
      { text: `${kind} #${issue.number}` },
    ],
    top: h`<h1>${issue.title} <span class="num">#${issue.number}</span></h1>
<p>${stateBadge(issue, pull)}<span class="meta">${userLink(issue.user)} opened this ${when(issue.createdAt)}</span>${issue.labels.map((l) => h`<span class="label">${l}</span>`)}</p>
<div class="box" id="issue-body"><div class="head">${userLink(issue.user)}${issue.viaApp ? h`<span class="label">bot</span>` : ''} wrote ${when(issue.createdAt)}${issue.updatedAt !== issue.createdAt ? h` · edited ${when(issue.updatedAt)}` : ''}</div><div class="body markdown-body">${raw(renderMarkdown(issue.body))}</div></div>`,
  };
}

export function issuePage(ctx: SandboxContext, viewer: string | null, repo: RepoState, issue: IssueState): PageResult {
  const top = header(repo, issue, undefined, 'issue');
  return { status: 200, html: page({ title: `${issue.title} · Issue #${issue.number} · ${repo.owner}/${repo.name}`, viewer, crumbs: top.crumbs, body: h`${top.top}${conversation(ctx, repo, issue)}` }) };
}

const MERGE_STATE_TEXT: Record<string, string> = {
  clean: 'This branch has no conflicts with the base branch; it can be merged.',
  unstable: 'Some checks were not successful, but it can be merged.',
  blocked: 'Merging is blocked.',
  behind: 'This branch is out-of-date with the base branch.',
  dirty: 'This branch has conflicts that must be resolved.',
  draft: 'This pull request is still a work in progress.',
  unknown: 'Checking for the ability to merge automatically…',
};

export async function pullPage(ctx: SandboxContext, viewer: string | null, repo: RepoState, issue: IssueState, pull: PullState): Promise<PageResult> {
  const top = header(repo, issue, pull, 'pull request');
  const git = ctx.git(keyOf(repo.owner, repo.name));
  // GitHub computes mergeability in the background and shows it once known; the page waits for it.
  if (!pull.merged && issue.state === 'open') await settledMergeability(ctx, pull);
  const checks = latestChecks(ctx, pull.repo, pull.headSha);
  const required = new Set(protectionOf(repo, pull.baseRef)?.requiredChecks ?? []);
  const state = pull.merged ? 'merged' : issue.state === 'closed' ? 'closed' : mergeableState(ctx, repo, pull, pull.mergeable);
  const block = pull.merged || issue.state === 'closed' ? null : protectionBlock(ctx, repo, pull);
  const mergeText = pull.merged
    ? h`Merged ${pull.mergeCommitSha ? h`as <a class="sha" href="${repoPath(repo, `/commit/${pull.mergeCommitSha}`)}">${pull.mergeCommitSha.slice(0, 7)}</a>` : ''} by ${pull.mergedBy ? userLink(pull.mergedBy) : 'someone'} ${when(pull.mergedAt)} into ${pull.baseRef}.`
    : issue.state === 'closed' ? h`Closed without merging.` : h`${MERGE_STATE_TEXT[state] ?? state}${block ? h` ${block}` : ''}`;
  // What the PR changes: its head against the merge base with its base branch (as GitHub's "Files changed").
  const base = (await git.resolve(`refs/heads/${pull.baseRef}`)) ?? pull.baseSha;
  let files: Awaited<ReturnType<typeof git.changedFiles>> = [];
  let commits: Awaited<ReturnType<typeof git.getCommit>>[] = [];
  if (await git.resolve(pull.headSha)) {
    const from = pull.merged && pull.landedShas?.length ? pull.baseSha : base;
    const cmp = await git.compare(from, pull.headSha);
    const mergeBase = cmp.mergeBase ?? from;
    files = await git.changedFiles(pull.headSha, mergeBase);
    commits = await Promise.all((pull.merged ? (await git.compare(mergeBase, pull.headSha)).commits : cmp.commits).map((s) => git.getCommit(s)));
  }
  const body = h`${top.top}
<p class="meta">${userLink(issue.user)} ${pull.merged ? 'merged' : 'wants to merge'} ${pull.commits} commit(s) into <code>${pull.baseRef}</code> from <code>${pull.headRef}</code></p>
<div class="box checks"><div class="head">Checks on <a class="sha" href="${repoPath(repo, `/commit/${pull.headSha}`)}">${pull.headSha.slice(0, 7)}</a></div>${checks.length || required.size ? h`<table class="list">${checks.map((c) => h`<tr><td class="check ${c.state}">${c.state === 'success' ? '✔' : c.state === 'failure' ? '✖' : '●'} ${c.state}</td><td>${c.name}</td><td class="meta">${c.source === 'check_run' ? 'check run' : 'commit status'}${required.has(c.name) ? ' · required' : ''}</td></tr>`)}${[...required].filter((n) => !checks.some((c) => c.name === n)).map((n) => h`<tr><td class="check pending">● expected</td><td>${n}</td><td class="meta">required · not reported yet</td></tr>`)}</table>` : h`<div class="body empty">No checks reported.</div>`}</div>
<div class="box merge ${state}" id="merge-state"><div class="body"><strong>${state}</strong> · ${mergeText}</div></div>
${conversation(ctx, repo, issue, pull.merged)}
<div class="box"><div class="head">Commits</div>${commits.length ? h`<table class="list">${commits.filter((c) => c !== null).map((c) => commitRow(repo, c))}</table>` : h`<div class="body empty">No commits.</div>`}</div>
<h2>Files changed</h2>${diffView(files)}`;
  return { status: 200, html: page({ title: `${issue.title} · Pull Request #${issue.number} · ${repo.owner}/${repo.name}`, viewer, crumbs: top.crumbs, body }) };
}
