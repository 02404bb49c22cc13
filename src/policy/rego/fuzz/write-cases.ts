/**
 * Writes fuzzer-generated policies as a conformance case file (regorus YAML shape) whose expected
 * results are then filled by real OPA (`node ../shared/tools/opa-oracle/opa.mjs --fill FILE`):
 * a fixed-seed differential corpus that CI checks without the oracle.
 *
 *   npx tsx src/policy/rego/fuzz/write-cases.ts --seed 7 --count 40 --out test/policy/rego/cases/fuzz-seed-7.yaml
 */
import { writeFileSync } from 'node:fs';
import { PACKAGE, generateCase, moduleText } from './generate.ts';

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? pad + l : ''))
    .join('\n');
}

export function casesYaml(seed: number, count: number): string {
  const out = [
    `# Differential fuzzer corpus (seed ${seed}, src/policy/rego/fuzz/generate.ts): random policies and inputs.`,
    '# Expected results filled by real OPA (v0.47) with ../shared/tools/opa-oracle/opa.mjs --fill; do not edit them by hand.',
    'cases:',
  ];
  for (let i = 0; i < count; i++) {
    const c = generateCase(seed * 1_000_003 + i);
    out.push(`  - note: fuzz/seed-${seed}-${i}`, '    data: {}', '    modules:', '      - |', indent(moduleText(c), 8), `    input: ${JSON.stringify(c.input)}`, `    query: data.${PACKAGE}`, '    want_result: []');
  }
  return out.join('\n') + '\n';
}

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
if (process.argv[1] && /fuzz[\\/]write-cases\.ts$/.test(process.argv[1])) {
  const out = arg('--out', '');
  if (!out) throw new Error('--out FILE is required');
  writeFileSync(out, casesYaml(Number(arg('--seed', '7')), Number(arg('--count', '40'))));
}
