import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planRollback } from '../../src/planning/plan-rollback.ts';
import { findCycles } from '../../src/planning/find-cycles.ts';
import { indexGroups } from '../../src/planning/group-index.ts';
import { buildUnitGraph } from '../../src/planning/unit-graph.ts';
import { parseMap } from '../../src/config/parse-map.ts';
import type { DependencyMap } from '../../src/config/map-schema.ts';
import type { PullFacts } from '../../src/planning/types.ts';
import { NOW, pull } from './scenario.ts';

/** A random acyclic map: service i may depend on j > i; names shuffled so order is not alphabetical. */
const acyclicWorld = fc
  .integer({ min: 2, max: 18 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      names: fc.shuffledSubarray(Array.from({ length: 40 }, (_, i) => `svc${i}`), { minLength: n, maxLength: n }),
      edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b]) => a < b), { maxLength: n * 3, selector: ([a, b]) => `${a}-${b}` }),
      groups: fc.array(fc.uniqueArray(fc.nat(n - 1), { minLength: 2, maxLength: 3 }), { maxLength: 2 }),
      targets: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: n }),
      links: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)).filter(([a, b]) => a < b), { maxLength: n }),
    }),
  );

function build(w: { n: number; names: string[]; edges: Array<[number, number]>; groups: number[][]; targets: number[]; links: Array<[number, number]> }) {
  const services: DependencyMap['services'] = {};
  for (let i = 0; i < w.n; i++) services[w.names[i]] = { repo: `o/${w.names[i]}`, path: '', depends_on: [], rollback: 'revert', tier: '' };
  for (const [a, b] of w.edges) services[w.names[a]].depends_on.push(w.names[b]);
  const groups: Record<string, string[]> = {};
  w.groups.forEach((g, i) => (groups[`g${i}`] = g.map((x) => w.names[x])));
  const map: DependencyMap = { services, groups, paused: false };
  // One PR per service (number = index + 1); a link a → b means a's PR says Depends-On b's PR.
  const pulls: PullFacts[] = Array.from({ length: w.n }, (_, i) =>
    pull(`o/${w.names[i]}`, i + 1, { body: w.links.filter(([a]) => a === i).map(([, b]) => `Depends-On: o/${w.names[b]}#${b + 1}`).join('\n') }),
  );
  return { map, pulls, targets: w.targets.map((i) => `o/${w.names[i]}#${i + 1}`) };
}

function reachable(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(from) ?? [])];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    stack.push(...(graph.get(u) ?? []));
  }
  return seen;
}

const isCycleOf = (graph: ReadonlyMap<string, readonly string[]>, cycle: string[]) =>
  cycle.length >= 2 && cycle[0] === cycle[cycle.length - 1] && cycle.slice(0, -1).every((u, i) => (graph.get(u) ?? []).includes(cycle[i + 1]));

describe('planner properties', () => {
  it('every plan respects every dependency edge, groups stay in one wave, or the cycle is named', () => {
    fc.assert(
      fc.property(acyclicWorld, (w) => {
        const { map, pulls, targets } = build(w);
        const result = planRollback({ targets, map, contracts: new Map(), pulls, now: NOW, limits: { maxPulls: 1_000 } });
        const groups = indexGroups(map);
        // Depends-On links order the plan when both PRs are in it.
        const planned = new Set(result.plan?.waves.flatMap((wave) => wave.steps.map((st) => st.service)) ?? w.names);
        const linkEdges: Array<[string, string]> = w.links.map(([a, b]): [string, string] => [w.names[a], w.names[b]]).filter(([a, b]) => planned.has(a) && planned.has(b));
        const graph = buildUnitGraph(map, groups, linkEdges);
        if (result.plan === null) {
          // Only groups can make an acyclic map cyclic; the error must name a real cycle.
          expect(result.errors.map((e) => e.code)).toEqual(['cycle']);
          const named = result.errors[0].message.replace('dependency cycle: ', '').split(' → ');
          expect(isCycleOf(graph, named)).toBe(true);
          return;
        }
        const waveOf = new Map<string, number>();
        for (const wave of result.plan.waves) for (const step of wave.steps) waveOf.set(step.service, wave.index);
        // Every service with a target PR is in the plan.
        for (const i of w.targets) expect(waveOf.has(w.names[i])).toBe(true);
        // Dependents strictly before anything they (transitively) depend on; a unit shares one wave.
        for (const [s, ws] of waveOf) {
          const reach = reachable(graph, groups.unitOf(s));
          for (const [t, wt] of waveOf) {
            if (groups.unitOf(s) === groups.unitOf(t)) expect(ws).toBe(wt);
            else if (reach.has(groups.unitOf(t))) expect(ws).toBeLessThan(wt);
          }
        }
        // Each planned PR records the planned PRs it depends on.
        for (const [a, b] of w.links) {
          if (!planned.has(w.names[a]) || !planned.has(w.names[b])) continue;
          const step = result.plan.waves.flatMap((wave) => wave.steps).find((st) => st.service === w.names[a])!;
          expect(step.pulls.find((p) => p.number === a + 1)!.dependsOn).toContain(`o/${w.names[b]}#${b + 1}`);
        }
        // Waves are dense layers: every wave has a step.
        expect(result.plan.waves.every((wave, i) => wave.index === i && wave.steps.length > 0)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic and independent of the order of the facts', () => {
    fc.assert(
      fc.property(acyclicWorld, (w) => {
        const { map, pulls, targets } = build(w);
        const a = planRollback({ targets, map, contracts: new Map(), pulls, now: NOW });
        const b = planRollback({ targets, map, contracts: new Map(), pulls: [...pulls].reverse(), now: NOW });
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      }),
      { numRuns: 100 },
    );
  });

  it('any generated cycle is found and named as a real path', () => {
    const cyclicWorld = fc.integer({ min: 2, max: 15 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        edges: fc.uniqueArray(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 2, selector: ([a, b]) => `${a}-${b}` }),
        cycle: fc.uniqueArray(fc.nat(n - 1), { minLength: 1, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(cyclicWorld, ({ n, edges, cycle }) => {
        const name = (i: number) => `s${i}`;
        const graph = new Map<string, string[]>();
        for (let i = 0; i < n; i++) graph.set(name(i), []);
        const add = (a: number, b: number) => {
          if (!graph.get(name(a))!.includes(name(b))) graph.get(name(a))!.push(name(b));
        };
        for (const [a, b] of edges) add(a, b);
        cycle.forEach((c, i) => add(c, cycle[(i + 1) % cycle.length]));
        const lines = ['services:'];
        for (const [s, deps] of graph) lines.push(`  ${s}: { repo: o/${s}, depends_on: [${deps.join(', ')}] }`);
        const problems = parseMap({ file: 'm.yml', text: `${lines.join('\n')}\n` }).problems.filter((p) => p.message.startsWith('dependency cycle: '));
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) expect(isCycleOf(graph, p.message.slice('dependency cycle: '.length).split(' → '))).toBe(true);
        // The planted cycle's nodes all belong to some reported cycle's component: each is reported once per component.
        expect(findCycles(graph).length).toBe(problems.length);
      }),
      { numRuns: 300 },
    );
  });

  it('an acyclic map never reports a cycle', () => {
    fc.assert(
      fc.property(acyclicWorld, (w) => {
        const { map } = build({ ...w, groups: [] });
        const lines = ['services:', ...Object.entries(map.services).map(([s, e]) => `  ${s}: { repo: ${e.repo}, depends_on: [${e.depends_on.join(', ')}] }`)];
        expect(parseMap({ file: 'm.yml', text: `${lines.join('\n')}\n` }).problems.filter((p) => p.message.includes('cycle'))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
