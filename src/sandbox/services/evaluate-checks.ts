/** Latest check runs + commit statuses of a commit, and whether branch protection lets a PR merge. */
import type { SandboxContext } from '../context.ts';
import type { ProtectionState, PullState, RepoState } from '../state/model.ts';
import { roleAtLeast, userRole } from '../auth/access.ts';

export type CheckOutcome = 'pending' | 'success' | 'failure';

export interface LatestCheck {
  name: string;
  state: CheckOutcome;
  source: 'check_run' | 'status';
}

export function latestChecks(ctx: SandboxContext, repoKey: string, sha: string): LatestCheck[] {
  const byName = new Map<string, LatestCheck>();
  const statuses = ctx.state.statuses.filter((s) => s.repo === repoKey && s.sha === sha);
  for (const s of statuses) {
    const state: CheckOutcome = s.state === 'pending' ? 'pending' : s.state === 'success' ? 'success' : 'failure';
    byName.set(`status:${s.context}`, { name: s.context, state, source: 'status' });
  }
  for (const r of ctx.state.checkRuns.filter((c) => c.repo === repoKey && c.headSha === sha)) {
    const state: CheckOutcome =
      r.status !== 'completed' ? 'pending' : ['success', 'neutral', 'skipped'].includes(r.conclusion ?? '') ? 'success' : 'failure';
    byName.set(`run:${r.name}`, { name: r.name, state, source: 'check_run' });
  }
  return [...byName.values()];
}

export function protectionOf(repo: RepoState, branch: string): ProtectionState | null {
  return repo.protection[branch] ?? null;
}

/** Required context state: success if any source succeeded for that name, else failure/pending/missing. */
function requiredState(checks: LatestCheck[], name: string): CheckOutcome | 'missing' {
  const matching = checks.filter((c) => c.name === name);
  if (matching.length === 0) return 'missing';
  if (matching.some((c) => c.state === 'success')) return 'success';
  if (matching.some((c) => c.state === 'failure')) return 'failure';
  return 'pending';
}

export function approvals(ctx: SandboxContext, repo: RepoState, pull: PullState): number {
  const latest = new Map<string, string>();
  for (const r of ctx.state.reviews.filter((x) => x.repo === pull.repo && x.pullNumber === pull.number)) {
    if (r.state === 'COMMENTED') continue;
    latest.set(r.user, r.state);
  }
  let n = 0;
  for (const [user, state] of latest) if (state === 'APPROVED' && roleAtLeast(userRole(ctx, user, repo), 'write')) n += 1;
  return n;
}

/** null when protection allows the merge; otherwise GitHub's 405 message. */
export function protectionBlock(ctx: SandboxContext, repo: RepoState, pull: PullState): string | null {
  const prot = protectionOf(repo, pull.baseRef);
  if (!prot) return null;
  if (prot.requiredApprovals > 0 && approvals(ctx, repo, pull) < prot.requiredApprovals) {
    const n = prot.requiredApprovals;
    return `At least ${n} approving review${n === 1 ? ' is' : 's are'} required by reviewers with write access.`;
  }
  if (prot.strict && pull.behind) return 'Head branch is out of date. Review and try the merge again.';
  const checks = latestChecks(ctx, pull.repo, pull.headSha);
  for (const name of prot.requiredChecks) {
    const st = requiredState(checks, name);
    if (st === 'missing' || st === 'pending') return `Required status check "${name}" is expected.`;
    if (st === 'failure') return `Required status check "${name}" is failing.`;
  }
  return null;
}

export function mergeableState(ctx: SandboxContext, repo: RepoState, pull: PullState, mergeable: boolean | null): string {
  if (pull.merged || mergeable === null) return 'unknown';
  if (!mergeable) return 'dirty';
  if (pull.draft) return 'draft';
  const prot = protectionOf(repo, pull.baseRef);
  if (prot?.strict && pull.behind) return 'behind';
  if (protectionBlock(ctx, repo, pull) !== null) return 'blocked';
  const required = new Set(prot?.requiredChecks ?? []);
  const failing = latestChecks(ctx, pull.repo, pull.headSha).some((c) => c.state === 'failure' && !required.has(c.name));
  return failing ? 'unstable' : 'clean';
}
