/** One plan step (a repo's service): its PRs/commits newest first, the reverts to apply, and the contract's terms. */
import type { Contract } from '../config/contract-schema.ts';
import type { CommitFacts, PlanStep, PlannedCommit, PlannedCompensation, PlannedPull, PlannedRevert } from './types.ts';
import type { Selected } from './expand-plan.ts';

export interface StepInput {
  readonly repo: string;
  readonly service: string;
  readonly action: 'revert' | 'compensate';
  readonly group: string | null;
  readonly tier: string;
  readonly pulls: readonly Selected[];
  /** `owner/repo#N` of selected PRs each selected PR depends on, by PR number. */
  readonly dependsOn: ReadonlyMap<number, readonly string[]>;
  readonly commits: readonly CommitFacts[];
  readonly contract: Contract;
}

export function buildStep(input: StepInput): PlanStep {
  const key = `${input.repo}:${input.service}`;
  const pulls: PlannedPull[] = input.pulls
    .map(({ pull, reason }): PlannedPull => ({
      number: pull.number,
      title: pull.title,
      url: pull.url ?? null,
      author: pull.author,
      mergeCommitSha: pull.mergeCommitSha ?? '',
      ...(pull.mergeCommitParents === undefined ? {} : { mergeMethodUsed: pull.mergeCommitParents > 1 ? ('merge' as const) : ('squash' as const) }),
      mergedAt: pull.mergedAt ?? '',
      files: [...pull.files].sort(),
      reason,
      dependsOn: [...(input.dependsOn.get(pull.number) ?? [])].sort(),
    }))
    .sort((a, b) => newestFirst(a.mergedAt, b.mergedAt) || b.number - a.number);
  const commits: PlannedCommit[] = input.commits
    .map((c) => ({ sha: c.sha, message: c.message, committedAt: c.committedAt, parents: c.parents, files: [...c.files].sort() }))
    .sort((a, b) => newestFirst(a.committedAt, b.committedAt) || (a.sha < b.sha ? -1 : 1));

  const reverts: PlannedRevert[] =
    input.action === 'compensate'
      ? []
      : [
          ...pulls.map((p, i) => ({ at: p.mergedAt, sha: p.mergeCommitSha, parents: input.pulls.find((s) => s.pull.number === p.number)!.pull.mergeCommitParents, source: `${input.repo}#${p.number}`, i })),
          ...commits.map((c, i) => ({ at: c.committedAt, sha: c.sha, parents: c.parents as number | undefined, source: `${input.repo}@${c.sha}`, i })),
        ]
          .sort((a, b) => newestFirst(a.at, b.at) || (a.source < b.source ? -1 : 1))
          .map((r) => ({ sha: r.sha, mainline: r.parents !== undefined && r.parents > 1 ? 1 : null, source: r.source }));

  const files = new Set<string>();
  for (const p of pulls) for (const f of p.files) files.add(f);
  for (const c of commits) for (const f of c.files) files.add(f);

  const { contract } = input;
  return {
    key,
    repo: input.repo,
    service: input.service,
    action: input.action,
    group: input.group,
    tier: input.tier,
    pulls,
    commits,
    reverts,
    changedFiles: [...files].sort(),
    mergeMethod: contract.revert.merge_method,
    waitForChecks: [...contract.revert.wait_for],
    autoMerge: contract.revert.auto_merge,
    labels: [...contract.revert.labels],
    owners: [...contract.owners],
    compensations: contract.compensations.map(
      (c): PlannedCompensation => ({
        id: c.id,
        workflow: c.workflow,
        ref: c.ref,
        inputs: Object.fromEntries(Object.entries(c.inputs).sort(([a], [b]) => (a < b ? -1 : 1))),
        when: c.when,
        idempotencyKey: c.idempotency_key.replaceAll('{repo}', input.repo).replaceAll('{id}', c.id).replaceAll('{service}', input.service).replaceAll('{step}', key),
        timeout: c.timeout,
        retry: { attempts: c.retry.attempts, backoff: c.retry.backoff, maxBackoff: c.retry.max_backoff },
        onFailure: c.on_failure,
      }),
    ),
  };
}

function newestFirst(a: string, b: string): number {
  return (Date.parse(b) || 0) - (Date.parse(a) || 0);
}
