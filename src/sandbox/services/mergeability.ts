/** Background mergeability: test merge (refs/pull/N/merge), mergeable/rebaseable, behind, PR stats. */
import type { SandboxContext } from '../context.ts';
import type { PullState } from '../state/model.ts';

const pending = new WeakMap<SandboxContext, Map<number, { gen: number; promise: Promise<void> }>>();

function table(ctx: SandboxContext): Map<number, { gen: number; promise: Promise<void> }> {
  let t = pending.get(ctx);
  if (!t) {
    t = new Map();
    pending.set(ctx, t);
  }
  return t;
}

/** Marks the PR's mergeability unknown and recomputes it in the background. */
export function refreshMergeability(ctx: SandboxContext, pull: PullState): void {
  pull.mergeable = null;
  pull.rebaseable = null;
  pull.nullReadsLeft = ctx.faults.mergeableNullReads;
  const t = table(ctx);
  const gen = (t.get(pull.id)?.gen ?? 0) + 1;
  const promise = compute(ctx, pull, gen).catch((err: unknown) => {
    if (!ctx.closing) throw err;
  });
  t.set(pull.id, { gen, promise });
  ctx.jobs.run(`mergeability ${pull.repo}#${pull.number}`, () => promise);
  ctx.save();
}

/** Waits until the latest computation for this PR finished. */
export async function settledMergeability(ctx: SandboxContext, pull: PullState): Promise<void> {
  const t = table(ctx);
  for (let i = 0; i < 100; i++) {
    const entry = t.get(pull.id);
    if (!entry) return;
    await entry.promise.catch(() => undefined);
    if (t.get(pull.id) === entry) return;
  }
}

async function compute(ctx: SandboxContext, pull: PullState, gen: number): Promise<void> {
  const git = ctx.git(pull.repo);
  const baseSha = await git.resolve(`refs/heads/${pull.baseRef}`);
  const headSha = pull.headSha;
  const current = (): boolean => table(ctx).get(pull.id)?.gen === gen && pull.headSha === headSha;
  if (!baseSha) {
    if (current()) {
      pull.mergeable = false;
      pull.rebaseable = false;
      ctx.save();
    }
    return;
  }
  const testMerge = await git.createTestMerge(baseSha, headSha, `refs/pull/${pull.number}/merge`, ctx.now());
  const cmp = await git.compare(baseSha, headSha);
  const files = await git.changedFiles(headSha, cmp.mergeBase ?? baseSha);
  let rebaseable = testMerge !== null;
  if (rebaseable && cmp.commits.length <= 100) {
    for (const sha of cmp.commits) {
      const c = await git.getCommit(sha);
      if (!c || c.parents.length > 1) {
        rebaseable = false;
        break;
      }
    }
  }
  if (!current() || pull.merged) return;
  pull.baseSha = baseSha;
  pull.mergeable = testMerge !== null;
  pull.rebaseable = rebaseable;
  pull.mergeCommitSha = testMerge;
  pull.behind = cmp.behindBy > 0;
  pull.commits = cmp.commits.length;
  pull.additions = files.reduce((n, f) => n + f.additions, 0);
  pull.deletions = files.reduce((n, f) => n + f.deletions, 0);
  pull.changedFiles = files.length;
  ctx.save();
}
