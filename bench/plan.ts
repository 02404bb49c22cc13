/**
 * Planning time for 1,000 and 10,000 services with 5 dependency edges each, every service with a target
 * PR (the worst case: every service is in the plan). Goal: 10,000 services in under 100 ms, linear growth.
 * Run: npx tsx bench/plan.ts
 */
import type { DependencyMap } from '../src/config/map-schema.ts';
import { planRollback } from '../src/planning/plan-rollback.ts';
import type { PullFacts } from '../src/planning/types.ts';

function world(n: number, edges: number): { map: DependencyMap; pulls: PullFacts[]; targets: string[] } {
  let seed = 42;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const services: DependencyMap['services'] = {};
  for (let i = 0; i < n; i++) {
    const deps = new Set<string>();
    // Depend only on higher indices: acyclic, with long chains (deep waves) and wide fan-in.
    for (let k = 0; k < edges && i + 1 < n; k++) deps.add(`s${i + 1 + Math.floor(random() * Math.min(n - i - 1, 50))}`);
    services[`s${i}`] = { repo: `org/r${i}`, path: '', depends_on: [...deps], rollback: 'revert', tier: '' };
  }
  const pulls: PullFacts[] = Array.from({ length: n }, (_, i) => ({
    repo: `org/r${i}`, number: 1, title: `change ${i}`, body: i % 10 === 0 && i + 1 < n ? `Depends-On: org/r${i + 1}#1` : '',
    merged: true, mergedAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(), mergeCommitSha: i.toString(16).padStart(40, '0'),
    mergeCommitParents: 1, files: [`f${i}.ts`], author: 'dev',
  }));
  return { map: { services, groups: {}, paused: false }, pulls, targets: pulls.map((p) => `${p.repo}#1`) };
}

function measure(n: number): { ms: number; cpuMs: number; waves: number; steps: number } {
  const { map, pulls, targets } = world(n, 5);
  const run = () => planRollback({ targets, map, contracts: new Map(), pulls, now: new Date('2025-06-01T00:00:00Z'), limits: { maxPulls: n } });
  for (let i = 0; i < 3; i++) run(); // warm-up: the app plans in a long-running, JIT-compiled process
  const times: number[] = [];
  const cpu: number[] = [];
  let result = run();
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    result = run();
    const used = process.cpuUsage(startCpu);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  if (result.plan === null) throw new Error(`planning failed: ${result.errors.map((e) => e.message).join('; ')}`);
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], cpuMs: cpu[Math.floor(cpu.length / 2)], waves: result.plan.waves.length, steps: result.plan.summary.steps };
}

const small = measure(1_000);
const large = measure(10_000);
const line = (n: number, r: { ms: number; cpuMs: number; waves: number; steps: number }) =>
  `${String(n).padStart(6)} services, 5 edges each: ${r.ms.toFixed(1).padStart(7)} ms wall, ${r.cpuMs.toFixed(1).padStart(7)} ms CPU (medians of 7)  ${r.steps} steps in ${r.waves} waves`;
console.log(line(1_000, small));
console.log(line(10_000, large));
console.log(`growth 1,000 → 10,000: ×${(large.ms / small.ms).toFixed(1)} (linear would be ×10)`);
console.log(`goal 10,000 services < 100 ms: ${large.ms < 100 ? 'met' : 'NOT met'} (wall)${large.ms >= 100 && large.cpuMs < 100 ? '; met in CPU time — the machine is busy' : ''}`);
console.log(`load average: ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
