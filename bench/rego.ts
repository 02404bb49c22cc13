/**
 * Rego engine latency: compile time and decision p50/p99 for
 *  1. the shipped governance policy (policies/*.rego) on each example input, and on a 12-repo plan
 *     (12 repos in two waves, one PR each), both through the engine (`evalRef`) and through
 *     `decide` (input validation + evaluation + decision checks, what the bot pays);
 *  2. a policy over 10,000 data entries (a keyed lookup and full scans);
 *  3. the time budget: how long runaway policies run past a 50 ms limit before they are stopped.
 * With UNWIND_BENCH_WASM=/path/to/bundle.tar.gz (as `opa build -t wasm -e unwind/decision policies/`
 * writes it), the same `decide` benchmark also runs on opa-wasm and the ratio is printed.
 * Run: npx tsx bench/rego.ts
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { RegoEvalError, compile } from '../src/policy/rego/index.ts';
import { fromJS } from '../src/policy/rego/value.ts';
import type { EvalOptions } from '../src/policy/rego/index.ts';
import { decide, loadDefaultPolicies, loadPolicySet } from '../src/policy/evaluate-decision.ts';
import type { PolicySet } from '../src/policy/evaluate-decision.ts';
import { PolicyInputSchema } from '../src/policy/input.ts';

interface Pcts {
  p50: number;
  p99: number;
}

function percentiles(f: () => void, runs: number, warmup = 200): Pcts {
  for (let i = 0; i < warmup; i++) f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(runs * 0.5)], p99: t[Math.min(runs - 1, Math.floor(runs * 0.99))] };
}
const ms = (x: number): string => `${x.toFixed(3)} ms`;
const show = (r: Pcts): string => `p50 ${ms(r.p50)}  p99 ${ms(r.p99)}`;

const POLICIES = join(import.meta.dirname, '..', 'policies');
const EXAMPLES = join(POLICIES, 'examples');
const NOW = new Date('2024-05-14T10:30:00Z');
const NOW_NS = BigInt(NOW.getTime()) * 1_000_000n;

/** A valid policy input with a plan of `n` repos in two waves, built from the business-hours example. */
function planInput(base: Record<string, unknown>, n: number): unknown {
  const repos = Array.from({ length: n }, (_, i) => `acme/svc-${i}`);
  const step = (repo: string, i: number) => ({
    repo,
    service: `svc-${i}`,
    prs: [{ number: 100 + i, title: `Change ${i}`, author: 'bob', merged_at: '2024-05-14T09:12:00Z', files: [`src/${i}.ts`] }],
    commits: [(i + 1).toString(16).padStart(40, 'a')],
    compensations: [],
  });
  const half = Math.ceil(n / 2);
  const waves = [
    { index: 0, steps: repos.slice(0, half).map((r, i) => step(r, i)) },
    { index: 1, steps: repos.slice(half).map((r, i) => step(r, half + i)) },
  ];
  const contracts = Object.fromEntries(repos.map((r, i) => [r, { service: `svc-${i}`, owners: ['bob'], paused: false }]));
  return {
    ...base,
    plan: { waves, repos, services: repos.map((_, i) => `svc-${i}`), changed_files: repos.map((r, i) => `${r}:src/${i}.ts`) },
    contracts,
  };
}

function decideBench(set: PolicySet, input: unknown, runs: number): Pcts {
  const d = decide(set, input, { now: NOW });
  if (d.errors?.length || d.deny.some((r) => r.rule === 'fail_closed')) throw new Error(`${set.engine}: decision failed closed: ${JSON.stringify(d.deny)}`);
  return percentiles(() => decide(set, input, { now: NOW }), runs);
}

async function governance(): Promise<void> {
  const files = existsSync(POLICIES) ? readdirSync(POLICIES).filter((f) => f.endsWith('.rego') && !f.endsWith('_test.rego')) : [];
  if (!files.length) {
    console.log('governance policy: policies/ not found, skipped');
    return;
  }
  const modules = files.map((f) => ({ path: join(POLICIES, f), text: readFileSync(join(POLICIES, f), 'utf8') }));
  const lines = modules.reduce((n, m) => n + m.text.split('\n').length, 0);
  const s = performance.now();
  const policy = compile({ modules });
  console.log(`governance policy: ${modules.length} files, ${lines} lines, compile ${ms(performance.now() - s)}`);
  const names = existsSync(EXAMPLES) ? readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')) : [];
  const opts: EvalOptions = { nowNs: NOW_NS };
  for (const f of names) {
    const input = JSON.parse(readFileSync(join(EXAMPLES, f), 'utf8'));
    console.log(`  engine, ${f.padEnd(40)} ${show(percentiles(() => policy.evalRef('data.unwind.decision', { ...opts, input }), 300))}`);
  }
  const baseFile = join(EXAMPLES, 'rollback-business-hours.json');
  if (!existsSync(baseFile)) return;
  const plan12 = planInput(JSON.parse(readFileSync(baseFile, 'utf8')), 12);
  const parsed = PolicyInputSchema.safeParse(plan12);
  if (!parsed.success) throw new Error(`12-repo plan input does not match the schema: ${parsed.error.issues[0]?.message}`);
  console.log(`  engine, 12-repo plan${' '.repeat(33)}${show(percentiles(() => policy.evalRef('data.unwind.decision', { ...opts, input: plan12 }), 500))}`);

  const regoSet = await loadDefaultPolicies();
  const rego = decideBench(regoSet, plan12, 500);
  console.log(`  decide (rego engine), 12-repo plan${' '.repeat(19)}${show(rego)}`);

  const bundlePath = process.env.UNWIND_BENCH_WASM;
  if (!bundlePath) {
    console.log('  opa-wasm: not measured; set UNWIND_BENCH_WASM=/path/to/bundle.tar.gz (opa build -t wasm -e unwind/decision policies/) to compare side by side');
    return;
  }
  const wasmSet = await loadPolicySet([{ path: basename(bundlePath).endsWith('.wasm') ? 'policy.wasm' : 'bundle.tar.gz', content: readFileSync(bundlePath) }]);
  if (wasmSet.failure) throw new Error(`opa-wasm bundle ${bundlePath} did not load: ${wasmSet.failure}`);
  const wasm = decideBench(wasmSet, plan12, 500);
  console.log(`  decide (opa-wasm, ${basename(bundlePath)}), 12-repo plan${' '.repeat(Math.max(1, 8 - basename(bundlePath).length))}${show(wasm)}`);
  console.log(`  ratio rego / opa-wasm: p50 ${(rego.p50 / wasm.p50).toFixed(2)}x  p99 ${(rego.p99 / wasm.p99).toFixed(2)}x`);
}

function bigData(): void {
  const N = 10_000;
  const entries: Record<string, { team: string; tier: string; owners: string[] }> = {};
  for (let i = 0; i < N; i++) entries[`svc-${i}`] = { team: `team-${i % 50}`, tier: i % 7 === 0 ? 'prod' : 'dev', owners: [`u${i % 300}`] };
  const big = compile({
    modules: [
      {
        path: 'big.rego',
        text: `package big
import rego.v1
lookup := data.services[input.service]
prod_count := count([s | some s, svc in data.services; svc.tier == "prod"])
owned contains s if {
  some s, svc in data.services
  input.user in svc.owners
}
decision := {"team": lookup.team, "owned": count(owned), "prod": prod_count}
`,
      },
    ],
    data: { services: entries },
  });
  console.log(`policy over ${N} data entries: keyed lookup ${show(percentiles(() => big.evalRef('data.big.lookup', { input: { service: 'svc-4242' } }), 500))}`);
  console.log(`policy over ${N} data entries: full scans (3 rules) ${show(percentiles(() => big.evalRef('data.big.decision', { input: { service: 'svc-4242', user: 'u7' } }), 50, 10))}`);
}

/** How far past its time limit a runaway policy runs before the budget stops it (the tests only check that it stops). */
function budgetOvershoot(): void {
  const r = Array.from({ length: 3000 }, (_, i) => i);
  const doc = fromJS(Array.from({ length: 500_000 }, (_, i) => ({ id: i, tags: ['a', 'b'] })));
  const workloads: Array<[string, string]> = [
    ['comprehension over pairs', 'n := count({[a, b] | some a in data.r; some b in data.r})'],
    ['every inside every', 'n if { every a in data.r { every b in data.r { a + b >= 0 } } }'],
    ['function bodies', 'f(a) := count([1 | some b in data.r; b < a])\nn := sum([f(a) | some a in data.r])'],
    ['walk over 2.5M nodes (+ input conversion)', 'n := count([p | walk(input.doc, [p, v])])'],
    ['large-value comparisons', 'big := [i | some i in numbers.range(1, 100000)]\nbig2 := [i | some i in numbers.range(1, 100000)]\nn := count([1 | some i in numbers.range(1, 100000); big == big2])'],
  ];
  const limit = 50;
  console.log(`time budget of ${limit} ms, elapsed until the budget error (median / max of 7):`);
  for (const [name, text] of workloads) {
    const p = compile({ modules: [{ path: 'b.rego', text: `package b\nimport rego.v1\n${text}` }], data: { r } });
    const t: number[] = [];
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      try {
        p.evalRef('data.b.n', { maxSteps: 1e12, timeoutMs: limit, ...(text.includes('input.doc') ? { input: { doc } } : {}) });
        throw new Error(`${name}: finished within the budget`);
      } catch (e) {
        if (!(e instanceof RegoEvalError)) throw e;
      }
      t.push(performance.now() - s);
    }
    t.sort((a, b) => a - b);
    console.log(`  ${name.padEnd(44)} ${t[3].toFixed(1)} ms / ${t[6].toFixed(1)} ms`);
  }
}

await governance();
bigData();
budgetOvershoot();
