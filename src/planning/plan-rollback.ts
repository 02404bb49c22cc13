/**
 * The planner (pure: plain data in, plain data out, `now` passed in): targets → expansion → steps → waves.
 * The same input always gives byte-identical JSON.
 */
import type { Contract } from '../config/contract-schema.ts';
import { defaultContract } from '../config/contract-schema.ts';
import type { DependencyMap } from '../config/map-schema.ts';
import type { CommitFacts, PlanLimits, PlanMessage, PlanPhase, PlanResult, PlanStep, PlanTrace, PullFacts, Target, Wave } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { formatTarget, parseTarget } from './parse-target.ts';
import { indexPulls } from './pull-pool.ts';
import type { PoolPull, PullPool } from './pull-pool.ts';
import { indexServices } from './service-index.ts';
import { indexGroups } from './group-index.ts';
import { expandPlan } from './expand-plan.ts';
import type { Selected } from './expand-plan.ts';
import { indexUnitGraph } from './index-unit-graph.ts';
import { orderWaves } from './order-waves.ts';
import { nameCycle } from './find-cycles.ts';
import { buildStep } from './build-step.ts';
import { own } from '../shared/own.ts';

export interface PlanParams {
  readonly targets: ReadonlyArray<string | Target>;
  readonly map: DependencyMap;
  /** Contracts by `owner/repo` (case-insensitive); repos without one get the defaults. */
  readonly contracts: ReadonlyMap<string, Contract>;
  readonly pulls: readonly PullFacts[];
  readonly commits?: readonly CommitFacts[];
  readonly now: Date;
  readonly limits?: Partial<PlanLimits>;
  /** Phase timings, for benchmarks; absent in normal use. */
  readonly trace?: PlanTrace;
}

export function planRollback(params: PlanParams): PlanResult {
  const { trace } = params;
  let mark = trace === undefined ? 0 : trace.clock();
  const lap = (phase: PlanPhase): void => {
    if (trace === undefined) return;
    const t = trace.clock();
    trace.record(phase, t - mark);
    mark = t;
  };
  const limits = { ...DEFAULT_LIMITS, ...params.limits };
  const errors: PlanMessage[] = [];
  const warnings: PlanMessage[] = [];
  const { map } = params;
  const pool = indexPulls(params.pulls);
  const services = indexServices(map);
  const groups = indexGroups(map);
  const contracts = new Map<string, Contract>();
  for (const [repo, c] of params.contracts) contracts.set(repo.toLowerCase(), c);
  const defaults = defaultContract();
  const contractOf = (repo: string) => contracts.get(repo.toLowerCase()) ?? defaults;
  const serviceOf = (repo: string, files: readonly string[]): string => {
    const mapped = services.serviceOf(repo, files);
    if (mapped !== null) return mapped;
    // Unmapped repo: its contract's `service:` unless the map gives that name to another repo.
    const named = contractOf(repo).service;
    return named !== '' && own(map.services, named) === undefined ? named : repo.toLowerCase();
  };

  lap('index');

  // 1. Resolve targets.
  const targetPulls: PoolPull[] = [];
  const targetCommits: CommitFacts[] = [];
  const targetNames = new Set<string>();
  let commitsByRepo: Map<string, CommitFacts[]> | null = null;
  const commitsIn = (repo: string): readonly CommitFacts[] => {
    if (commitsByRepo === null) {
      commitsByRepo = new Map();
      for (const c of params.commits ?? []) {
        const list = commitsByRepo.get(c.repo.toLowerCase());
        if (list) list.push(c);
        else commitsByRepo.set(c.repo.toLowerCase(), [c]);
      }
    }
    return commitsByRepo.get(repo.toLowerCase()) ?? [];
  };
  for (const raw of params.targets) {
    const t = typeof raw === 'string' ? parseTarget(raw) : raw;
    if (t === null) {
      errors.push({ code: 'bad_target', subject: String(raw), message: `"${String(raw)}" is not a target; write owner/repo#N or owner/repo@sha` });
      continue;
    }
    const name = formatTarget(t);
    targetNames.add(name);
    const found = t.kind === 'pull' ? pool.get(t.repo, t.number) : pool.byMergeCommit(t.repo, t.sha);
    if (found !== undefined) {
      if (!found.pull.merged || found.pull.mergeCommitSha === null) errors.push({ code: 'unmerged_target', subject: name, message: `${name} is not merged; only merged changes can be rolled back` });
      else targetPulls.push(found);
      continue;
    }
    const commit = t.kind === 'commit' ? commitsIn(t.repo).find((c) => c.sha.toLowerCase().startsWith(t.sha)) : undefined;
    if (commit !== undefined) targetCommits.push(commit);
    else errors.push({ code: 'unknown_target', subject: name, message: `${name} was not found` });
  }
  const commitsWithService = dedupeCommits(targetCommits).map((commit) => ({ commit, service: serviceOf(commit.repo, commit.files) }));

  lap('targets');

  // 2. Expand.
  const expansion = expandPlan({ targets: targetPulls, commits: commitsWithService, pool, map, groups, serviceOf, limits });
  errors.push(...expansion.errors);
  warnings.push(...expansion.warnings);
  warnings.push(...linkWarnings(expansion.pulls, pool));

  lap('expansion');

  // 3. Steps by repo + service.
  interface StepDraft {
    /** `owner/repo:service`, the repo spelt as the map spells it. */
    readonly key: string;
    readonly repo: string;
    readonly service: string;
    /** Replaced on the first addition (a literal `[x]` is sized exactly; `push` on `[]` reserves 16 slots). */
    pulls: Selected[];
    commits: CommitFacts[];
  }
  // By the key with the repo in lower case: one step per repo and service, however the facts spell it.
  const drafts = new Map<string, StepDraft>();
  const stepFor = (repo: string, service: string): StepDraft => {
    const mapped = own(map.services, service)?.repo;
    const canonical = mapped !== undefined && mapped.toLowerCase() === repo.toLowerCase() ? mapped : repo;
    const lower = canonical.toLowerCase();
    const id = `${lower}:${service}`;
    let draft = drafts.get(id);
    if (draft === undefined) drafts.set(id, (draft = { key: lower === canonical ? id : `${canonical}:${service}`, repo: canonical, service, pulls: [], commits: [] }));
    return draft;
  };
  for (const s of expansion.pulls.values()) {
    const draft = stepFor(s.pull.repo, s.service);
    if (draft.pulls.length === 0) draft.pulls = [s];
    else draft.pulls.push(s);
  }
  for (const { commit, service } of commitsWithService) {
    const draft = stepFor(commit.repo, service);
    if (draft.commits.length === 0) draft.commits = [commit];
    else draft.commits.push(commit);
  }
  for (const service of expansion.joinedServices) stepFor(map.services[service].repo, service);

  const steps: PlanStep[] = [];
  const linkEdges: Array<[string, string]> = [];
  // Steps in key order (keys are unique), so each wave's steps come out sorted too.
  const ordered = [...drafts.values()].sort((a, b) => cmp(a.key, b.key));
  for (const input of ordered) {
    const entry = own(map.services, input.service);
    const contract = contractOf(input.repo);
    const action = entry?.rollback === 'compensate' ? 'compensate' : 'revert';
    if (entry === undefined) warnings.push({ code: 'unmapped_repo', subject: input.repo, message: `${input.repo} is not in the dependency map; it is ordered only by Depends-On links` });
    else if (services.holdsSeveral(input.repo) && input.pulls.some((p) => services.assign(p.pull.repo, p.pull.files)?.ambiguous === true))
      warnings.push({ code: 'ambiguous_service', subject: `${input.repo} (${input.service})`, message: `some PRs in ${input.repo} touch several services; they were assigned to "${input.service}"` });
    // A paused contract is the policy's to weigh (the shipped one soft-denies it; an admin may override), not the planner's.
    if (contract.paused) warnings.push({ code: 'repo_paused', subject: input.repo, message: `${input.repo} is paused by its contract (paused: true); the governance policy decides whether it may be rolled back` });
    if (action === 'compensate' && contract.compensations.length === 0)
      errors.push({ code: 'no_compensation', subject: `${input.repo} (${input.service})`, message: `service "${input.service}" is compensate-only, but ${input.repo}'s contract declares no compensations` });
    const dependsOn = input.pulls.map((s) => {
      const links = s.entry.links;
      if (links.length === 0) return [];
      const deps: string[] = [];
      for (const l of links) {
        const dep = expansion.pulls.get(l.key);
        if (dep === undefined) continue;
        deps.push(`${l.repo}#${l.number}`);
        linkEdges.push([input.service, dep.service]);
      }
      return deps;
    });
    const groupNames = groups.groupsOf(input.service);
    const group = groupNames.length > 0 ? groupNames.join(',') : null;
    steps.push(buildStep({ key: input.key, repo: input.repo, service: input.service, pulls: input.pulls, commits: input.commits, action, group, tier: entry?.tier ?? '', dependsOn, contract }));
  }

  lap('steps');

  // 4. Waves.
  const stepUnits = steps.map((step) => groups.unitOf(step.service));
  const graph = indexUnitGraph(map, groups, linkEdges, stepUnits);
  const touched = new Uint8Array(graph.names.length);
  const stepIds = stepUnits.map((unit) => graph.idOf(unit)!);
  for (const id of stepIds) touched[id] = 1;
  lap('graph');
  const order = orderWaves(graph, touched);
  lap('ordering');
  if (!order.ok) errors.push({ code: 'cycle', subject: order.cycle[0], message: `dependency cycle: ${nameCycle(order.cycle)}` });
  if (errors.length > 0 || !order.ok) return { plan: null, warnings: sortMessages(warnings), errors: sortMessages(errors) };

  // Steps by level (a level is at most the number of touched units); empty levels close up.
  const byLevel: PlanStep[][] = [];
  steps.forEach((step, i) => (byLevel[order.level[stepIds[i]]] ??= []).push(step));
  const waves: Wave[] = [];
  for (const list of byLevel) if (list !== undefined) waves.push({ index: waves.length, steps: list });
  const result: PlanResult = {
    plan: {
      version: 1,
      plannedAt: params.now.toISOString(),
      targets: [...targetNames].sort(),
      waves,
      summary: {
        waves: waves.length,
        steps: steps.length,
        repos: new Set(steps.map((s) => s.repo.toLowerCase())).size,
        pulls: steps.reduce((n, s) => n + s.pulls.length, 0),
        commits: steps.reduce((n, s) => n + s.commits.length, 0),
        compensations: steps.reduce((n, s) => n + s.compensations.length, 0),
      },
    },
    warnings: sortMessages(warnings),
    errors: [],
  };
  lap('waves');
  return result;
}

/** Links from selected PRs to PRs that are unknown or unmerged, and open PRs that depend on selected ones. */
function linkWarnings(selected: ReadonlyMap<string, Selected>, pool: PullPool): PlanMessage[] {
  const out: PlanMessage[] = [];
  for (const { pull, entry } of selected.values()) {
    if (entry.links.length === 0 && entry.openDependents.length === 0) continue;
    const name = `${pull.repo}#${pull.number}`;
    for (const l of entry.links) {
      const target = pool.byKey(l.key);
      const ref = `${l.repo}#${l.number}`;
      if (target === undefined) out.push({ code: 'unknown_link', subject: name, message: `${name} says Depends-On: ${ref}, which was not found` });
      else if (!target.pull.merged) out.push({ code: 'unmerged_link', subject: name, message: `${name} says Depends-On: ${ref}, which is not merged` });
    }
    for (const { pull: open } of entry.openDependents) {
      out.push({ code: 'unmerged_dependent', subject: `${open.repo}#${open.number}`, message: `${open.repo}#${open.number} depends on ${name} but is not merged, so there is nothing to revert; it may need updating` });
    }
  }
  return out;
}

function dedupeCommits(commits: CommitFacts[]): CommitFacts[] {
  const seen = new Set<string>();
  return commits.filter((c) => {
    const k = `${c.repo.toLowerCase()}@${c.sha.toLowerCase()}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortMessages(messages: PlanMessage[]): PlanMessage[] {
  const seen = new Set<string>();
  return [...messages]
    .sort((a, b) => cmp(a.code, b.code) || cmp(a.subject ?? '', b.subject ?? '') || cmp(a.message, b.message))
    .filter((m) => {
      const k = `${m.code}\u0000${m.subject ?? ''}\u0000${m.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
