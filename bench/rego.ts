/**
 * Rego engine latency: compile time and evaluation p50/p99 for
 *  1. the shipped governance policy (policies/*.rego) on each example input, and on a 12-repo plan;
 *  2. a policy over 10,000 data entries (lookups and a full scan).
 * Run: npx tsx bench/rego.ts
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '../src/policy/rego/index.ts';
import type { EvalOptions } from '../src/policy/rego/index.ts';

function percentiles(f: () => void, runs: number): { p50: number; p99: number } {
  for (let i = 0; i < 200; i++) f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return { p50: t[Math.floor(runs * 0.5)], p99: t[Math.floor(runs * 0.99)] };
}
const ms = (x: number) => `${x.toFixed(3)} ms`;

const dir = join(import.meta.dirname, '..', 'policies');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.rego') && !f.endsWith('_test.rego')) : [];
if (files.length) {
  const modules = files.map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
  const lines = modules.reduce((n, m) => n + m.text.split('\n').length, 0);
  let s = performance.now();
  const policy = compile({ modules });
  console.log(`governance policy: ${modules.length} files, ${lines} lines, compile ${ms(performance.now() - s)}`);
  const examples = join(dir, 'examples');
  const inputs = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.json')) : [];
  const opts: EvalOptions = { nowNs: 1_700_000_000_000_000_000n };
  for (const f of inputs) {
    const input = JSON.parse(readFileSync(join(examples, f), 'utf8'));
    const r = percentiles(() => policy.evalRef('data.unwind.decision', { ...opts, input }), 300);
    console.log(`  ${f.padEnd(40)} p50 ${ms(r.p50)}  p99 ${ms(r.p99)}`);
  }
  if (inputs.length) {
    const base = JSON.parse(readFileSync(join(examples, inputs[0]), 'utf8'));
    const repos = Array.from({ length: 12 }, (_, i) => `acme/svc-${i}`);
    const input = { ...base, plan: { ...(base.plan ?? {}), repos, waves: [repos.slice(0, 6), repos.slice(6)] } };
    s = performance.now();
    const r = percentiles(() => policy.evalRef('data.unwind.decision', { ...opts, input }), 300);
    console.log(`  12-repo plan${' '.repeat(28)}p50 ${ms(r.p50)}  p99 ${ms(r.p99)}`);
  }
}

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
const r1 = percentiles(() => big.evalRef('data.big.lookup', { input: { service: 'svc-4242' } }), 500);
console.log(`policy over ${N} data entries: keyed lookup p50 ${ms(r1.p50)}  p99 ${ms(r1.p99)}`);
const r2 = percentiles(() => big.evalRef('data.big.decision', { input: { service: 'svc-4242', user: 'u7' } }), 50);
console.log(`policy over ${N} data entries: full scans (3 rules) p50 ${ms(r2.p50)}  p99 ${ms(r2.p99)}`);
