/** One plan step (a repo's service): its PRs/commits newest first, the reverts to apply, and the contract's terms. */
import type { Contract } from '../config/contract-schema.ts';
import type { CommitFacts, PlanStep, PlannedCommit, PlannedCompensation, PlannedPull, PlannedRevert } from './types.ts';
import type { Selected } from './expand-plan.ts';

export interface StepInput {
  /** `owner/repo:service`. */
  readonly key: string;
  readonly repo: string;
  readonly service: string;
  readonly action: 'revert' | 'compensate';
  readonly group: string | null;
  readonly tier: string;
  readonly pulls: readonly Selected[];
  /**
   * `owner/repo#N` of the selected PRs each selected PR depends on, parallel to `pulls`. The arrays are
   * handed over to the step (sorted in place), not copied.
   */
  readonly dependsOn: ReadonlyArray<string[]>;
  readonly commits: readonly CommitFacts[];
  readonly contract: Contract;
}

/** A planned PR or commit with what ordering and reverting need, parsed once. */
interface Undo<T> {
  readonly item: T;
  readonly at: number;
  readonly sha: string;
  readonly parents: number | undefined;
  readonly source: string;
}

export function buildStep(input: StepInput): PlanStep {
  const { key, repo } = input;
  let pulls: PlannedPull[];
  let commits: PlannedCommit[];
  let reverts: PlannedRevert[];
  let changedFiles: string[];
  if (input.pulls.length === 1 && input.commits.length === 0) {
    // The usual step: one PR, nothing to order.
    const { pull } = input.pulls[0];
    const planned = plannedPull(input.pulls[0], input.dependsOn[0]);
    pulls = [planned];
    commits = [];
    reverts = input.action === 'revert' ? [{ sha: planned.mergeCommitSha, mainline: mainline(pull.mergeCommitParents), source: `${repo}#${planned.number}` }] : [];
    changedFiles = unique(planned.files);
  } else {
    const pullUndos = input.pulls.map((selected, i): Undo<PlannedPull> => {
      const item = plannedPull(selected, input.dependsOn[i]);
      return { item, at: time(item.mergedAt), sha: item.mergeCommitSha, parents: selected.pull.mergeCommitParents, source: `${repo}#${item.number}` };
    });
    if (pullUndos.length > 1) pullUndos.sort((a, b) => b.at - a.at || b.item.number - a.item.number);
    const commitUndos = input.commits.map((c): Undo<PlannedCommit> => ({
      item: { sha: c.sha, message: c.message, committedAt: c.committedAt, parents: c.parents, files: sorted(c.files) },
      at: time(c.committedAt),
      sha: c.sha,
      parents: c.parents,
      source: `${repo}@${c.sha}`,
    }));
    if (commitUndos.length > 1) commitUndos.sort((a, b) => b.at - a.at || (a.sha < b.sha ? -1 : 1));
    pulls = pullUndos.map((u) => u.item);
    commits = commitUndos.map((u) => u.item);

    reverts = [];
    if (input.action === 'revert') {
      const all: Array<Undo<unknown>> = [...pullUndos, ...commitUndos];
      all.sort((a, b) => b.at - a.at || (a.source < b.source ? -1 : 1));
      for (const r of all) reverts.push({ sha: r.sha, mainline: mainline(r.parents), source: r.source });
    }
    // Every file once, sorted.
    const files: string[] = [];
    for (const p of pulls) for (const f of p.files) files.push(f);
    for (const c of commits) for (const f of c.files) files.push(f);
    changedFiles = unique(files.sort());
  }

  const { contract } = input;
  return {
    key,
    repo,
    service: input.service,
    action: input.action,
    group: input.group,
    tier: input.tier,
    pulls,
    commits,
    reverts,
    changedFiles,
    mergeMethod: contract.revert.merge_method,
    // Shared with the contract (read-only plain data) rather than copied per step.
    waitForChecks: contract.revert.wait_for,
    checksTimeout: contract.revert.checks_timeout,
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

function plannedPull({ pull, reason }: Selected, dependsOn: string[]): PlannedPull {
  const { number, title, author } = pull;
  const url = pull.url ?? null;
  const mergeCommitSha = pull.mergeCommitSha ?? '';
  const mergedAt = pull.mergedAt ?? '';
  const files = sorted(pull.files);
  if (dependsOn.length > 1) dependsOn.sort();
  // Key order matters for byte-identical JSON: mergeMethodUsed goes after mergeCommitSha.
  return pull.mergeCommitParents === undefined
    ? { number, title, url, author, mergeCommitSha, mergedAt, files, reason, dependsOn }
    : { number, title, url, author, mergeCommitSha, mergeMethodUsed: pull.mergeCommitParents > 1 ? 'merge' : 'squash', mergedAt, files, reason, dependsOn };
}

/** `git revert -m 1` for merge commits. */
function mainline(parents: number | undefined): 1 | null {
  return parents !== undefined && parents > 1 ? 1 : null;
}

function sorted(list: readonly string[]): string[] {
  return list.length > 1 ? [...list].sort() : list.slice();
}

/** A sorted list without repeats (a new array, sized exactly: plans hold thousands of these). */
function unique(list: readonly string[]): string[] {
  let repeats = 0;
  for (let i = 1; i < list.length; i++) if (list[i] === list[i - 1]) repeats++;
  if (repeats === 0) return list.slice();
  const out: string[] = [];
  for (let i = 0; i < list.length; i++) if (i === 0 || list[i] !== list[i - 1]) out.push(list[i]);
  return out;
}

/** Milliseconds of an ISO time; 0 when it does not parse (it then sorts as the oldest). */
function time(iso: string): number {
  return Date.parse(iso) || 0;
}
