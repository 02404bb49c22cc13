import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexUnitGraph } from '../../src/planning/index-unit-graph.ts';
import type { IndexedUnitGraph } from '../../src/planning/index-unit-graph.ts';
import { orderWaves } from '../../src/planning/order-waves.ts';
import { buildUnitGraph } from '../../src/planning/unit-graph.ts';
import { findCycles } from '../../src/planning/find-cycles.ts';
import { indexGroups } from '../../src/planning/group-index.ts';
import { indexPulls } from '../../src/planning/pull-pool.ts';
import { planRollback } from '../../src/planning/plan-rollback.ts';
import type { DependencyMap } from '../../src/config/map-schema.ts';
import { NOW, pull } from './scenario.ts';

/** Any map (cycles allowed) with groups, plus extra service → service edges and units. */
const anyWorld = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    edges: fc.array(fc.tuple(fc.nat(n - 1), fc.oneof(fc.nat(n - 1), fc.constant(-1))), { maxLength: n * 3 }),
    groups: fc.array(fc.uniqueArray(fc.nat(n), { minLength: 1, maxLength: 3 }), { maxLength: 3 }),
    extra: fc.array(fc.tuple(fc.nat(n), fc.nat(n)), { maxLength: 4 }),
  }),
);

function mapOf(w: { n: number; edges: Array<[number, number]>; groups: number[][] }): DependencyMap {
  const services: DependencyMap['services'] = {};
  for (let i = 0; i < w.n; i++) services[`s${i}`] = { repo: `o/s${i}`, path: '', depends_on: [], rollback: 'revert', tier: '' };
  // -1: a name that is no service; `toString`: no service either, but `in` finds it on the prototype.
  for (const [a, b] of w.edges) services[`s${a}`].depends_on.push(b === -1 ? (a % 2 === 0 ? 'ghost' : 'toString') : `s${b}`);
  const groups: Record<string, string[]> = {};
  // Member `s${n}` is in no service: groups may name strangers (check-map reports them).
  w.groups.forEach((g, i) => (groups[`g${i}`] = g.map((x) => `s${x}`)));
  return { services, groups, paused: false };
}

/** The indexed graph as a map of unit → sorted, distinct successors. */
function expand(graph: IndexedUnitGraph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  graph.names.forEach((name, u) => {
    const succ = new Set<string>();
    for (let e = graph.edgeStart[u]; e < graph.edgeStart[u + 1]; e++) succ.add(graph.names[graph.edgeTo[e]]);
    out.set(name, [...succ].sort());
  });
  return out;
}

const normalise = (graph: ReadonlyMap<string, readonly string[]>) => new Map([...graph].map(([k, v]) => [k, [...new Set(v)].sort()] as const));

describe('indexUnitGraph', () => {
  it('holds the same units and edges as buildUnitGraph', () => {
    fc.assert(
      fc.property(anyWorld, (w) => {
        const map = mapOf(w);
        const groups = indexGroups(map);
        const extra = w.extra.map(([a, b]): [string, string] => [`s${a}`, `s${b}`]);
        const units = extra.flat().map((s) => groups.unitOf(s));
        const indexed = indexUnitGraph(map, groups, extra, units);
        const plain = buildUnitGraph(map, groups, extra.filter(([a, b]) => a !== b));
        for (const u of units) if (!plain.has(u)) plain.set(u, []);
        expect(expand(indexed)).toEqual(normalise(plain));
        indexed.names.forEach((name, i) => expect(indexed.idOf(name)).toBe(i));
      }),
      { numRuns: 300 },
    );
  });
});

describe('orderWaves', () => {
  it('puts each touched unit one wave after the touched units that depend on it, through untouched ones', () => {
    // a → b → c → d, e → d; b is not touched.
    const map: DependencyMap = {
      services: Object.fromEntries(
        [['a', ['b']], ['b', ['c']], ['c', ['d']], ['d', []], ['e', ['d']]].map(([s, deps]) => [s as string, { repo: `o/${s as string}`, path: '', depends_on: deps as string[], rollback: 'revert' as const, tier: '' }]),
      ),
      groups: {},
      paused: false,
    };
    const graph = indexUnitGraph(map, indexGroups(map), [], []);
    const touched = new Uint8Array(graph.names.length);
    for (const s of ['a', 'c', 'd', 'e']) touched[graph.idOf(s)!] = 1;
    const order = orderWaves(graph, touched);
    if (!order.ok) throw new Error('unexpected cycle');
    const level = (s: string) => order.level[graph.idOf(s)!];
    expect(['a', 'c', 'd', 'e'].map(level)).toEqual([0, 1, 2, 0]);
  });

  it('names the same cycle as findCycles on the readable graph', () => {
    fc.assert(
      fc.property(anyWorld, (w) => {
        const map = mapOf(w);
        const groups = indexGroups(map);
        const graph = indexUnitGraph(map, groups, [], []);
        const order = orderWaves(graph, new Uint8Array(graph.names.length).fill(1));
        const cycles = findCycles(buildUnitGraph(map, groups));
        if (order.ok) expect(cycles).toEqual([]);
        else expect(order.cycle).toEqual(cycles[0]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('indexPulls', () => {
  it('keeps the first fact about a PR, lists dependents by key, and finds merge commits case-insensitively', () => {
    const pool = indexPulls([
      pull('o/t', 1),
      pull('o/z', 3, { body: 'Depends-On: o/t#1' }),
      pull('O/T', 1, { title: 'a second fact about o/t#1' }),
      pull('o/a', 9, { body: 'depends-on: https://github.com/o/t/pull/1' }),
      pull('o/b', 2, { body: 'Depends-On: o/t#1', merged: false, mergedAt: null, mergeCommitSha: null }),
      pull('o/self', 4, { body: 'Depends-On: o/self#4' }),
    ]);
    const t = pool.get('O/t', 1)!;
    expect(t.pull.title).toBe('o/t#1');
    expect(t.dependents.map((d) => d.key)).toEqual(['o/a#9', 'o/z#3']);
    expect(t.openDependents.map((d) => d.key)).toEqual(['o/b#2']);
    expect(pool.get('o/self', 4)!.dependents).toEqual([]);
    expect(pool.byMergeCommit('O/Z', pool.get('o/z', 3)!.pull.mergeCommitSha!.slice(0, 8).toUpperCase())?.key).toBe('o/z#3');
    expect(pool.mergedIn('o/T').map((e) => e.key)).toEqual(['o/t#1']);
  });
});

describe('planning at scale', () => {
  it('plans 5,000 services with 5 edges each, every edge respected, byte-identical twice', () => {
    const n = 5_000;
    const services: DependencyMap['services'] = {};
    for (let i = 0; i < n; i++) {
      const deps = [1, 2, 3, 5, 8].map((d) => i + d).filter((j) => j < n).map((j) => `s${j}`);
      services[`s${i}`] = { repo: `org/r${i}`, path: '', depends_on: deps, rollback: 'revert', tier: '' };
    }
    const map: DependencyMap = { services, groups: { g: ['s10', 's11'] }, paused: false };
    const pulls = Array.from({ length: n }, (_, i) => pull(`org/r${i}`, i + 1, { body: i % 7 === 0 && i + 1 < n ? `Depends-On: org/r${i + 1}#${i + 2}` : '' }));
    const params = { targets: pulls.filter((_, i) => i % 2 === 0).map((p) => `${p.repo}#${p.number}`), map, contracts: new Map(), pulls, now: NOW, limits: { maxPulls: n } };
    const result = planRollback(params);
    expect(result.errors).toEqual([]);
    const waveOf = new Map<string, number>();
    for (const wave of result.plan!.waves) for (const step of wave.steps) waveOf.set(step.service, wave.index);
    // The even targets; odd i with i % 7 === 0 say Depends-On the (even) next one, so they join; s11 joins s10's group.
    const expected = new Set<string>(['s11']);
    for (let i = 0; i < n; i++) if (i % 2 === 0 || (i % 7 === 0 && i + 1 < n)) expected.add(`s${i}`);
    expect(new Set(waveOf.keys())).toEqual(expected);
    for (const [s, w] of waveOf) for (const d of services[s].depends_on) if (waveOf.has(d) && !(s === 's10' && d === 's11')) expect(w).toBeLessThan(waveOf.get(d)!);
    expect(waveOf.get('s10')).toBe(waveOf.get('s11'));
    expect(JSON.stringify(planRollback(params))).toBe(JSON.stringify(result));
  });
});
