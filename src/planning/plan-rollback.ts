/**
 * The planner (pure: plain data in, plain data out, `now` passed in): targets → expansion → steps → waves.
 * The same input always gives byte-identical JSON.
 */
import type { Contract } from '../config/contract-schema.ts';
import { defaultContract } from '../config/contract-schema.ts';
import type { DependencyMap } from '../config/map-schema.ts';
import type { CommitFacts, PlanLimits, PlanMessage, PlanPhase, PlanResult, PlanStep, PlanTrace, PullFacts, Target, Wave } from './types.ts';
import { DEFAULT_LIMITS } from './types.ts';
import { formatTarget, parseTarget, pullKey } from './parse-target.ts';
import { indexPulls } from './pull-pool.ts';
import { indexServices } from './service-index.ts';
import { indexGroups } from './group-index.ts';
import { expandPlan } from './expand-plan.ts';
import type { Selected } from './expand-plan.ts';
import { buildUnitGraph } from './unit-graph.ts';
import { orderWaves } from './order-waves.ts';
import { nameCycle } from './find-cycles.ts';
import { buildStep } from './build-step.ts';

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
    const mapped = services.assign(repo, files);
    if (mapped !== null) return mapped.service;
    // Unmapped repo: its contract's `service:` unless the map gives that name to another repo.
    const named = contractOf(repo).service;
    return named !== '' && map.services[named] === undefined ? named : repo.toLowerCase();
  };

  lap('index');

  // 1. Resolve targets.
  const targetPulls: PullFacts[] = [];
  const targetCommits: CommitFacts[] = [];
  const targetNames = new Set<string>();
  for (const raw of params.targets) {
    const t = typeof raw === 'string' ? parseTarget(raw) : raw;
    if (t === null) {
      errors.push({ code: 'bad_target', subject: String(raw), message: `"${String(raw)}" is not a target; write owner/repo#N or owner/repo@sha` });
      continue;
    }
    targetNames.add(formatTarget(t));
    const pull = t.kind === 'pull' ? pool.get(t.repo, t.number) : pool.byMergeCommit(t.repo, t.sha);
    if (pull !== undefined) {
      if (!pull.merged || pull.mergeCommitSha === null) errors.push({ code: 'unmerged_target', subject: formatTarget(t), message: `${formatTarget(t)} is not merged; only merged changes can be rolled back` });
      else targetPulls.push(pull);
      continue;
    }
    const commit = t.kind === 'commit' ? (params.commits ?? []).find((c) => c.repo.toLowerCase() === t.repo.toLowerCase() && c.sha.toLowerCase().startsWith(t.sha)) : undefined;
    if (commit !== undefined) targetCommits.push(commit);
    else errors.push({ code: 'unknown_target', subject: formatTarget(t), message: `${formatTarget(t)} was not found` });
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
  const stepInputs = new Map<string, { repo: string; service: string; pulls: Selected[]; commits: CommitFacts[] }>();
  const stepFor = (repo: string, service: string) => {
    const mapped = map.services[service]?.repo;
    const canonical = mapped !== undefined && mapped.toLowerCase() === repo.toLowerCase() ? mapped : repo;
    const key = `${canonical.toLowerCase()}:${service}`;
    let s = stepInputs.get(key);
    if (!s) stepInputs.set(key, (s = { repo: canonical, service, pulls: [], commits: [] }));
    return s;
  };
  for (const s of expansion.pulls.values()) stepFor(s.pull.repo, s.service).pulls.push(s);
  for (const { commit, service } of commitsWithService) stepFor(commit.repo, service).commits.push(commit);
  for (const service of expansion.joinedServices) stepFor(map.services[service].repo, service);

  const steps: PlanStep[] = [];
  const linkEdges: Array<[string, string]> = [];
  const ordered = [...stepInputs.values()].map((input) => ({ key: `${input.repo}:${input.service}`, input })).sort((a, b) => cmp(a.key, b.key));
  for (const { input } of ordered) {
    const entry = map.services[input.service];
    const contract = contractOf(input.repo);
    const action = entry?.rollback === 'compensate' ? 'compensate' : 'revert';
    const subject = `${input.repo} (${input.service})`;
    if (entry === undefined) warnings.push({ code: 'unmapped_repo', subject: input.repo, message: `${input.repo} is not in the dependency map; it is ordered only by Depends-On links` });
    else if (services.servicesOf(input.repo).length > 1 && input.pulls.some((p) => services.assign(p.pull.repo, p.pull.files)?.ambiguous === true))
      warnings.push({ code: 'ambiguous_service', subject, message: `some PRs in ${input.repo} touch several services; they were assigned to "${input.service}"` });
    if (contract.paused) errors.push({ code: 'repo_paused', subject: input.repo, message: `${input.repo} is paused by its contract (paused: true); it cannot be rolled back` });
    if (action === 'compensate' && contract.compensations.length === 0)
      errors.push({ code: 'no_compensation', subject, message: `service "${input.service}" is compensate-only, but ${input.repo}'s contract declares no compensations` });
    const dependsOn = new Map<number, string[]>();
    for (const s of input.pulls) {
      const deps = pool.linksOf(s.pull).filter((l) => expansion.pulls.has(pullKey(l.repo, l.number)));
      dependsOn.set(s.pull.number, deps.map((l) => `${l.repo}#${l.number}`));
      for (const l of deps) linkEdges.push([input.service, expansion.pulls.get(pullKey(l.repo, l.number))!.service]);
    }
    const groupNames = groups.groupsOf(input.service);
    const group = groupNames.length > 0 ? groupNames.join(',') : null;
    steps.push(buildStep({ repo: input.repo, service: input.service, pulls: input.pulls, commits: input.commits, action, group, tier: entry?.tier ?? '', dependsOn, contract }));
  }

  lap('steps');

  // 4. Waves.
  const graph = buildUnitGraph(map, groups, linkEdges.filter(([a, b]) => a !== b));
  const touched = new Set<string>();
  for (const step of steps) {
    const unit = groups.unitOf(step.service);
    touched.add(unit);
    if (!graph.has(unit)) graph.set(unit, []);
  }
  lap('graph');
  const order = orderWaves(graph, touched);
  lap('ordering');
  if (!order.ok) errors.push({ code: 'cycle', subject: order.cycle[0], message: `dependency cycle: ${nameCycle(order.cycle)}` });
  if (errors.length > 0) return { plan: null, warnings: sortMessages(warnings), errors: sortMessages(errors) };

  const waveOf = order.ok ? order.waveOf : new Map<string, number>();
  const byWave = new Map<number, PlanStep[]>();
  for (const step of steps) {
    const w = waveOf.get(groups.unitOf(step.service)) ?? 0;
    const list = byWave.get(w);
    if (list) list.push(step);
    else byWave.set(w, [step]);
  }
  const waves: Wave[] = [...byWave.keys()].sort((a, b) => a - b).map((w, index) => ({ index, steps: byWave.get(w)!.sort((a, b) => cmp(a.key, b.key)) }));
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
function linkWarnings(selected: ReadonlyMap<string, Selected>, pool: ReturnType<typeof indexPulls>): PlanMessage[] {
  const out: PlanMessage[] = [];
  for (const { pull } of selected.values()) {
    const name = `${pull.repo}#${pull.number}`;
    for (const l of pool.linksOf(pull)) {
      const target = pool.get(l.repo, l.number);
      const ref = `${l.repo}#${l.number}`;
      if (target === undefined) out.push({ code: 'unknown_link', subject: name, message: `${name} says Depends-On: ${ref}, which was not found` });
      else if (!target.merged) out.push({ code: 'unmerged_link', subject: name, message: `${name} says Depends-On: ${ref}, which is not merged` });
    }
    for (const open of pool.openDependentsOf(pull.repo, pull.number)) {
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
