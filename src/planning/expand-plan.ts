/**
 * Expansion: from the resolved targets, add every merged PR that depends on a selected PR (transitively,
 * via `Depends-On:`), and the changes of group members since the group's earliest selected change; repeat
 * until nothing new joins. Bounded by `limits`; hitting a bound is an error (a partial rollback is unsafe).
 */
import type { DependencyMap } from '../config/map-schema.ts';
import type { CommitFacts, PlanLimits, PlanMessage, PullFacts, PullReason } from './types.ts';
import type { PoolPull, PullPool } from './pull-pool.ts';
import type { GroupIndex } from './group-index.ts';
import { own } from '../shared/own.ts';

export interface Selected {
  readonly pull: PullFacts;
  /** The pool's record of the PR (its key, links and dependents). */
  readonly entry: PoolPull;
  readonly reason: PullReason;
  readonly depth: number;
  readonly service: string;
}

export interface Expansion {
  /** By `pullKey`, in the order they joined. */
  readonly pulls: Map<string, Selected>;
  /** Compensate-only group members that joined without a PR of their own. */
  readonly joinedServices: Set<string>;
  /** May repeat a message (one per pass that notices it); the planner sorts and dedupes them. */
  readonly warnings: PlanMessage[];
  readonly errors: PlanMessage[];
}

export interface ExpandParams {
  readonly targets: readonly PoolPull[];
  readonly commits: ReadonlyArray<{ commit: CommitFacts; service: string }>;
  readonly pool: PullPool;
  readonly map: DependencyMap;
  readonly groups: GroupIndex;
  readonly serviceOf: (repo: string, files: readonly string[]) => string;
  readonly limits: PlanLimits;
}

export function expandPlan(params: ExpandParams): Expansion {
  const { pool, map, groups, limits } = params;
  const pulls = new Map<string, Selected>();
  const joinedServices = new Set<string>();
  const warnings: PlanMessage[] = [];
  const errors: PlanMessage[] = [];
  const queue: Selected[] = [];
  /** Services with a selected PR (kept up to date for the group rule's "already in"; only with groups). */
  const servicesIn = new Set<string>();
  let stopped = false;

  const select = (entry: PoolPull, reason: PullReason, depth: number): void => {
    const { pull, key } = entry;
    if (stopped || pulls.has(key)) return;
    if (pulls.size >= limits.maxPulls) {
      stopped = true;
      errors.push({ code: 'expansion_limit', subject: `${pull.repo}#${pull.number}`, message: `the plan would exceed ${limits.maxPulls} PRs (limit maxPulls); raise the limit or narrow the targets` });
      return;
    }
    if (depth > limits.maxDepth) {
      stopped = true;
      errors.push({ code: 'expansion_depth', subject: `${pull.repo}#${pull.number}`, message: `Depends-On chain longer than ${limits.maxDepth} hops (limit maxDepth) reaches ${pull.repo}#${pull.number}` });
      return;
    }
    const selected: Selected = { pull, entry, reason, depth, service: params.serviceOf(pull.repo, pull.files) };
    pulls.set(key, selected);
    if (groups.any) servicesIn.add(selected.service);
    queue.push(selected);
  };

  for (const t of params.targets) select(t, 'target', 0);
  for (let pass = 0; !stopped; pass++) {
    // 1. Dependents, breadth first.
    for (let head = 0; head < queue.length && !stopped; head++) {
      const s = queue[head];
      for (const d of s.entry.dependents) select(d, 'dependent', s.depth + 1);
    }
    if (stopped) break;
    // 2. Group members join with their changes since the group's earliest selected change.
    queue.length = 0;
    joinGroups();
    if (queue.length === 0) break;
  }
  return { pulls, joinedServices, warnings, errors };

  function joinGroups(): void {
    if (!groups.any) return;
    const commitServices = new Set(params.commits.map((c) => c.service));
    const units = new Map<string, { since: number; service: string }>();
    const note = (service: string, at: string | null) => {
      if (groups.groupsOf(service).length === 0 || at === null) return;
      const unit = groups.unitOf(service);
      const t = Date.parse(at);
      if (!Number.isNaN(t) && t < (units.get(unit)?.since ?? Infinity)) units.set(unit, { since: t, service });
    };
    for (const s of pulls.values()) note(s.service, s.pull.mergedAt);
    for (const c of params.commits) note(c.service, c.commit.committedAt);
    for (const [, { since, service }] of [...units].sort(([a], [b]) => (a < b ? -1 : 1))) {
      for (const member of groups.membersOf(service)) {
        const entry = own(map.services, member);
        if (entry === undefined) continue;
        if (entry.rollback === 'compensate') {
          joinedServices.add(member);
          continue;
        }
        const changes = pool
          .mergedIn(entry.repo)
          .filter(({ pull: p }) => p.mergedAt !== null && Date.parse(p.mergedAt) >= since && params.serviceOf(p.repo, p.files) === member);
        const alreadyIn = servicesIn.has(member) || commitServices.has(member);
        if (changes.length === 0 && !alreadyIn) {
          warnings.push({ code: 'group_member_unchanged', subject: member, message: `group member "${member}" has no merged PR since ${new Date(since).toISOString()}; nothing to revert there` });
        }
        for (const p of changes) select(p, 'group', 0);
      }
    }
  }
}
