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
  const parents = new Map<number, number | undefined>();
  const pulls: PlannedPull[] = input.pulls.map(({ pull, reason }): PlannedPull => {
    parents.set(pull.number, pull.mergeCommitParents);
    const planned: { -readonly [K in keyof PlannedPull]: PlannedPull[K] } = {
      number: pull.number,
      title: pull.title,
      url: pull.url ?? null,
      author: pull.author,
      mergeCommitSha: pull.mergeCommitSha ?? '',
      mergedAt: pull.mergedAt ?? '',
      files: sorted(pull.files),
      reason,
      dependsOn: sorted(input.dependsOn.get(pull.number) ?? []),
    };
    // Key order matters for byte-identical JSON: mergeMethodUsed goes after mergeCommitSha.
    if (pull.mergeCommitParents === undefined) return planned;
    return {
      number: planned.number, title: planned.title, url: planned.url, author: planned.author, mergeCommitSha: planned.mergeCommitSha,
      mergeMethodUsed: pull.mergeCommitParents > 1 ? 'merge' : 'squash',
      mergedAt: planned.mergedAt, files: planned.files, reason: planned.reason, dependsOn: planned.dependsOn,
    };
  });
  if (pulls.length > 1) pulls.sort((a, b) => newestFirst(a.mergedAt, b.mergedAt) || b.number - a.number);
  const commits: PlannedCommit[] = input.commits.map((c) => ({ sha: c.sha, message: c.message, committedAt: c.committedAt, parents: c.parents, files: sorted(c.files) }));
  if (commits.length > 1) commits.sort((a, b) => newestFirst(a.committedAt, b.committedAt) || (a.sha < b.sha ? -1 : 1));

  const reverts: PlannedRevert[] = [];
  if (input.action === 'revert') {
    const all = [
      ...pulls.map((p) => ({ at: p.mergedAt, sha: p.mergeCommitSha, parents: parents.get(p.number), source: `${input.repo}#${p.number}` })),
      ...commits.map((c) => ({ at: c.committedAt, sha: c.sha, parents: c.parents as number | undefined, source: `${input.repo}@${c.sha}` })),
    ];
    if (all.length > 1) all.sort((a, b) => newestFirst(a.at, b.at) || (a.source < b.source ? -1 : 1));
    for (const r of all) reverts.push({ sha: r.sha, mainline: r.parents !== undefined && r.parents > 1 ? 1 : null, source: r.source });
  }

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
    // Shared with the contract (read-only plain data) rather than copied per step.
    waitForChecks: contract.revert.wait_for,
    autoMerge: contract.revert.auto_merge,
    labels: contract.revert.labels,
    owners: contract.owners,
    compensations: contract.compensations.length === 0 ? [] : contract.compensations.map(
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

function sorted(list: readonly string[]): string[] {
  return list.length > 1 ? [...list].sort() : [...list];
}

function newestFirst(a: string, b: string): number {
  return (Date.parse(b) || 0) - (Date.parse(a) || 0);
}
