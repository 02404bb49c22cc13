/**
 * Planning time for 1,000 and 10,000 services with 5 dependency edges each (issue 3). Goal: 10,000 services
 * in under 100 ms (median), growing linearly.
 *
 * The workload is the worst case for size: every service has one merged target PR, so every service is a
 * step of the plan. Each service depends on 5 distinct services further down (within the next 50, so the
 * last few have fewer): acyclic, with long chains (many waves) and wide fan-in. Every 10th PR also says
 * `Depends-On:` the next service's PR (already a target, so expansion follows the link but adds nothing).
 *
 * Method: a warm-up (the app plans in a long-running, JIT-compiled process), then REPS timed runs per size;
 * min and median of wall time and CPU time, the growth from the medians, the median time of each planner
 * phase (reported by the planner's `trace` hook; a garbage collection counts in the phase it interrupts),
 * the garbage-collection pause time inside the timed runs, and JSON serialisation of the plan (not part
 * of planning; shown so the whole cost of producing the plan is visible). A 20,000-service run checks
 * the growth beyond 10,000: the algorithm is linear (plus sorts), but 1,000 services fit in the CPU caches
 * and the young generation of the heap, so 1,000 → 10,000 also shows the memory hierarchy.
 *
 * Run: npx tsx bench/plan.ts [--reps N]
 */
import { availableParallelism, loadavg } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import type { DependencyMap } from '../src/config/map-schema.ts';
import { planRollback } from '../src/planning/plan-rollback.ts';
import type { PlanPhase, PlanResult, PullFacts } from '../src/planning/types.ts';

const EDGES = 5;
const WINDOW = 50;
const WARMUP = 5;
const repsFlag = process.argv.indexOf('--reps');
const REPS = repsFlag > 0 ? Math.max(1, Number(process.argv[repsFlag + 1]) || 15) : 15;
const PHASES: readonly PlanPhase[] = ['index', 'targets', 'expansion', 'steps', 'graph', 'ordering', 'waves'];

interface World {
  readonly map: DependencyMap;
  readonly pulls: PullFacts[];
  readonly targets: string[];
  readonly edges: number;
  readonly links: number;
}

function world(n: number): World {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const services: DependencyMap['services'] = {};
  let edges = 0;
  for (let i = 0; i < n; i++) {
    // EDGES distinct dependencies among the next WINDOW services (fewer near the end of the list).
    const room = Math.min(n - i - 1, WINDOW);
    const deps = new Set<string>();
    while (deps.size < Math.min(EDGES, room)) deps.add(`s${i + 1 + Math.floor(random() * room)}`);
    edges += deps.size;
    services[`s${i}`] = { repo: `org/r${i}`, path: '', depends_on: [...deps], rollback: 'revert', tier: '' };
  }
  let links = 0;
  const pulls: PullFacts[] = Array.from({ length: n }, (_, i) => {
    const linked = i % 10 === 0 && i + 1 < n;
    if (linked) links++;
    return {
      repo: `org/r${i}`, number: 1, title: `change ${i}`, body: linked ? `Depends-On: org/r${i + 1}#1` : '',
      merged: true, mergedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(), mergeCommitSha: i.toString(16).padStart(40, '0'),
      mergeCommitParents: 1, files: [`f${i}.ts`], author: 'dev',
    };
  });
  return { map: { services, groups: {}, paused: false }, pulls, targets: pulls.map((p) => `${p.repo}#1`), edges, links };
}

interface Measurement {
  readonly n: number;
  readonly world: World;
  readonly wall: number[];
  readonly cpu: number[];
  readonly phases: Map<PlanPhase | 'json', number[]>;
  /** Garbage-collection pause time inside each timed run. */
  readonly gc: number[];
  readonly result: PlanResult;
  readonly jsonBytes: number;
}

async function measure(n: number): Promise<Measurement> {
  const w = world(n);
  const phases = new Map<PlanPhase | 'json', number[]>();
  const record = (phase: PlanPhase | 'json', ms: number) => {
    const list = phases.get(phase);
    if (list) list.push(ms);
    else phases.set(phase, [ms]);
  };
  const run = (trace: boolean) =>
    planRollback({
      targets: w.targets, map: w.map, contracts: new Map(), pulls: w.pulls, now: new Date('2025-06-01T00:00:00Z'),
      limits: { maxPulls: n }, trace: trace ? { clock: () => performance.now(), record } : undefined,
    });
  let result = run(false);
  if (result.plan === null) throw new Error(`planning failed: ${result.errors.map((e) => e.message).join('; ')}`);
  const first = JSON.stringify(result);
  for (let i = 0; i < WARMUP; i++) JSON.stringify(run(true));
  phases.clear();
  const wall: number[] = [];
  const cpu: number[] = [];
  const spans: Array<[number, number]> = [];
  const pauses: Array<[number, number]> = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push([e.startTime, e.duration]);
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < REPS; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    result = run(true);
    const used = process.cpuUsage(startCpu);
    const end = performance.now();
    wall.push(end - start);
    spans.push([start, end]);
    cpu.push((used.user + used.system) / 1000);
    const before = performance.now();
    const json = JSON.stringify(result);
    record('json', performance.now() - before);
    if (json !== first) throw new Error(`the plan for ${n} services differs between runs: planning is not deterministic`);
  }
  await new Promise((resolve) => setTimeout(resolve, 10)); // let the observer deliver
  observer.disconnect();
  const gc = spans.map(([from, to]) => pauses.filter(([at]) => at >= from && at < to).reduce((sum, [, ms]) => sum + ms, 0));
  return { n, world: w, wall, cpu, phases, gc, result, jsonBytes: Buffer.byteLength(first) };
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs: readonly number[]) => Math.min(...xs);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const ms = (x: number, width = 7) => `${x.toFixed(1).padStart(width)} ms`;

function describe(m: Measurement): string[] {
  const plan = m.result.plan!;
  const dependents = plan.waves.reduce((k, w) => k + w.steps.reduce((j, s) => j + s.pulls.filter((p) => p.reason !== 'target').length, 0), 0);
  return [
    `${m.n.toLocaleString('en')} services, ${m.world.edges.toLocaleString('en')} depends_on edges (${(m.world.edges / m.n).toFixed(2)} per service), no groups;`,
    `  plans ${m.world.targets.length.toLocaleString('en')} target PRs touching ${plan.summary.steps.toLocaleString('en')} services (${m.world.links} Depends-On links, ${dependents} dependents added)`,
    `  → ${plan.summary.steps.toLocaleString('en')} steps in ${plan.summary.waves.toLocaleString('en')} waves, ${m.result.warnings.length} warnings, JSON ${(m.jsonBytes / 1024 / 1024).toFixed(1)} MiB`,
    `  wall: min ${ms(min(m.wall))}, median ${ms(median(m.wall))}, mean ${ms(mean(m.wall))}    CPU: min ${ms(min(m.cpu))}, median ${ms(median(m.cpu))}   (${REPS} runs after ${WARMUP} warm-up)`,
    `  per service: ${((median(m.wall) * 1000) / m.n).toFixed(2)} µs (median wall); garbage collection in the timed runs: median ${ms(median(m.gc), 0)}`,
    `  phases (median): ${[...PHASES, 'json' as const].map((p) => `${p} ${median(m.phases.get(p) ?? [0]).toFixed(1)}`).join(' · ')} ms (json = JSON.stringify, not in the wall time)`,
  ];
}

// Sizes interleaved so a burst of load on the machine hits both alike.
const small = await measure(1_000);
const large = await measure(10_000);
const small2 = await measure(1_000);
const huge = await measure(20_000);
const smallAll: Measurement = { ...small, wall: [...small.wall, ...small2.wall], cpu: [...small.cpu, ...small2.cpu], gc: [...small.gc, ...small2.gc] };
for (const line of [...describe(smallAll), '', ...describe(large), '', ...describe(huge)]) console.log(line);
const growth = median(large.wall) / median(smallAll.wall);
console.log('');
console.log(`growth 1,000 → 10,000 (median wall): ×${growth.toFixed(1)}; CPU: ×${(median(large.cpu) / median(smallAll.cpu)).toFixed(1)} (linear would be ×10)`);
console.log(`growth 1,000 → 10,000 (mean wall, which spreads the collections over the runs): ×${(mean(large.wall) / mean(smallAll.wall)).toFixed(1)}`);
console.log(`growth 10,000 → 20,000 (median wall): ×${(median(huge.wall) / median(large.wall)).toFixed(1)} (linear would be ×2)`);
const largeWall = median(large.wall);
console.log(`goal 10,000 services < 100 ms (median wall): ${largeWall < 100 ? 'met' : 'NOT met'} (${largeWall.toFixed(1)} ms)`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores; node ${process.version}`);
