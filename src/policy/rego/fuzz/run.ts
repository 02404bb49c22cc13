/**
 * Differential fuzzer: random policies (generate.ts) and random inputs, evaluated by this engine and
 * by real OPA (the oracle, OPA v0.47); every disagreement is reported by class with a minimal
 * reproduction (shrink.ts).
 *
 *   npx tsx src/policy/rego/fuzz/run.ts [--runs 10000] [--seed 1] [--batch 10] [--out report.json]
 *
 * `--runs` counts evaluations (one policy with one input). Each policy is evaluated with `--batch`
 * inputs in one oracle call (`[[v | v := data.fuzz with input as I] …]`, a comprehension per input so
 * that an undefined document does not hide the others); when either side fails on the batch, each
 * input is evaluated on its own. Slow (the oracle is OPA compiled to WebAssembly): not part of CI;
 * test/policy/rego/fuzz.test.ts is the fixed-seed smoke test.
 */
import { writeFileSync } from 'node:fs';
import { disagreement, engineEval, openOracle, oracleEval, showOutcome } from './differential.ts';
import type { Outcome, Spec } from './differential.ts';
import { PACKAGE, Rng, genInput, generateCase, moduleText } from './generate.ts';
import type { FuzzCase } from './generate.ts';
import { shrink } from './shrink.ts';
import type { RArray } from '../value.ts';

interface Args {
  runs: number;
  seed: number;
  batch: number;
  out?: string;
  examples: number;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { runs: 10_000, seed: 1, batch: 10, examples: 1 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    if (argv[i] === '--runs') a.runs = Number(v);
    else if (argv[i] === '--seed') a.seed = Number(v);
    else if (argv[i] === '--batch') a.batch = Number(v);
    else if (argv[i] === '--out') a.out = v;
    else if (argv[i] === '--examples') a.examples = Number(v);
    else continue;
    i++;
  }
  return a;
}

const QUERY = `data.${PACKAGE}`;

export function singleSpec(c: FuzzCase): Spec {
  return { modules: [moduleText(c)], query: QUERY, input: c.input };
}

export function batchSpec(c: FuzzCase, inputs: unknown[]): Spec {
  return { modules: [moduleText(c)], query: `[${inputs.map((i) => `[v | v := ${QUERY} with input as ${JSON.stringify(i)}]`).join(', ')}]` };
}

/** Splits a batch result into one outcome per input (`[]` undefined, `[v]` a value). */
function split(o: Outcome, n: number): Outcome[] | undefined {
  if (o.kind !== 'value' || !Array.isArray(o.value) || o.value.length !== n) return undefined;
  return (o.value as RArray).map((x) => {
    const xs = x as RArray;
    return xs.length === 0 ? { kind: 'undefined' } : { kind: 'value', value: xs[0] };
  });
}

interface Found {
  cls: string;
  c: FuzzCase;
  engine: Outcome;
  opa: Outcome;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const oracle = await openOracle();
  const judge = async (c: FuzzCase) => {
    const spec = singleSpec(c);
    return disagreement(engineEval(spec), await oracleEval(oracle, spec));
  };
  let evaluations = 0;
  let agreed = 0;
  let unsupported = 0;
  let compileErrors = 0;
  let policies = 0;
  const found: Found[] = [];
  const byClass = new Map<string, number>();
  const started = Date.now();
  const record = (c: FuzzCase, engine: Outcome, opa: Outcome) => {
    evaluations++;
    if (opa.kind === 'unsupported') {
      unsupported++;
      return;
    }
    const cls = disagreement(engine, opa);
    if (!cls) {
      agreed++;
      return;
    }
    byClass.set(cls, (byClass.get(cls) ?? 0) + 1);
    if (found.filter((f) => f.cls === cls).length < args.examples) found.push({ cls, c, engine, opa });
  };
  for (let p = 0; evaluations < args.runs; p++) {
    policies++;
    const seed = args.seed * 1_000_003 + p;
    const base = generateCase(seed);
    const r = new Rng(seed ^ 0x5bd1e995);
    const n = Math.min(args.batch, args.runs - evaluations);
    const inputs = [base.input, ...Array.from({ length: n - 1 }, () => genInput(r))];
    const spec = batchSpec(base, inputs);
    const eng = engineEval(spec);
    const opa = await oracleEval(oracle, spec);
    const es = split(eng, n);
    const os = split(opa, n);
    if (es && os) {
      inputs.forEach((input, j) => record({ ...base, input }, es[j], os[j]));
    } else if (eng.kind === 'error' && opa.kind === 'error' && eng.code === opa.code && eng.code.startsWith('rego_')) {
      // The module does not compile in either: the same for every input.
      compileErrors += n;
      inputs.forEach((input) => record({ ...base, input }, eng, opa));
    } else if (opa.kind === 'unsupported') {
      inputs.forEach((input) => record({ ...base, input }, eng, opa));
    } else {
      for (const input of inputs) {
        const c = { ...base, input };
        const s = singleSpec(c);
        record(c, engineEval(s), await oracleEval(oracle, s));
      }
    }
    if (policies % 50 === 0) {
      const secs = ((Date.now() - started) / 1000).toFixed(0);
      process.stderr.write(`fuzz: ${evaluations} evaluations (${policies} policies, ${secs} s), ${evaluations - agreed - unsupported} disagreements\n`);
    }
  }
  const report: Array<Record<string, unknown>> = [];
  for (const f of found) {
    const small = await shrink(f.c, f.cls, judge);
    const s = singleSpec(small);
    const engine = engineEval(s);
    const opa = await oracleEval(oracle, s);
    report.push({ class: f.cls, count: byClass.get(f.cls), module: s.modules[0], input: small.input, engine: showOutcome(engine), opa: showOutcome(opa) });
  }
  oracle.close();
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`fuzz: seed ${args.seed}, ${evaluations} evaluations of ${policies} policies in ${secs} s`);
  console.log(`  agreed ${agreed}, disagreed ${evaluations - agreed - unsupported}, not translatable by the oracle ${unsupported}; both rejected at compile time: ${compileErrors}`);
  for (const r of report) {
    console.log(`\n## ${r.class} (${r.count})`);
    console.log(`engine: ${r.engine}\nOPA:    ${r.opa}\ninput: ${JSON.stringify(r.input)}\n${r.module}`);
  }
  if (args.out) writeFileSync(args.out, JSON.stringify({ seed: args.seed, evaluations, policies, agreed, unsupported, compileErrors, classes: Object.fromEntries(byClass), examples: report }, null, 2) + '\n');
}

const invokedDirectly = process.argv[1] && /fuzz[\\/]run\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
