/**
 * `npm run conformance -- [FOLDERS…] [--write-passing FILE] [--verbose] [--markdown]`: runs Rego
 * conformance cases (default: all of ../shared/rego-conformance), prints a table per folder and the
 * failing cases, and ends with `conformance: P passed, F failed`. `--markdown` prints the README's
 * summary table instead of the per-folder one (markdown-table.ts).
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findYamlFiles, loadCases } from './load-cases.ts';
import type { ConformanceCase } from './load-cases.ts';
import { runCase } from './run-case.ts';
import { markdownTable } from './markdown-table.ts';
import type { CaseResult } from './run-case.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const DEFAULT_ROOT = resolve(REPO_ROOT, '../shared/rego-conformance');

export function collectCases(folders: string[]): ConformanceCase[] {
  const out: ConformanceCase[] = [];
  for (const f of folders) {
    const abs = resolve(f);
    const root = abs.startsWith(DEFAULT_ROOT) ? DEFAULT_ROOT : abs;
    for (const file of findYamlFiles(abs)) out.push(...loadCases(file, root));
  }
  return out;
}

function main(argv: string[]): number {
  const folders: string[] = [];
  let writePassing: string | undefined;
  let verbose = false;
  let markdown = false;
  let filter: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--write-passing') writePassing = argv[++i];
    else if (argv[i] === '--filter') filter = argv[++i];
    else if (argv[i] === '--verbose') verbose = true;
    else if (argv[i] === '--markdown') markdown = true;
    else folders.push(argv[i]);
  }
  const cases = collectCases(folders.length ? folders : [DEFAULT_ROOT]).filter((c) => !filter || c.id.includes(filter));
  const byFolder = new Map<string, { pass: number; fail: number; skip: number }>();
  const failures: Array<{ c: ConformanceCase; r: CaseResult }> = [];
  const passing: string[] = [];
  const started = performance.now();
  for (const c of cases) {
    const r = runCase(c);
    const row = byFolder.get(c.folder) ?? { pass: 0, fail: 0, skip: 0 };
    byFolder.set(c.folder, row);
    row[r.status]++;
    if (r.status === 'pass') passing.push(c.id);
    if (r.status === 'fail') failures.push({ c, r });
  }
  if (markdown) {
    if (writePassing) writeFileSync(writePassing, passing.sort().join('\n') + '\n');
    console.log(markdownTable(byFolder));
    return 0;
  }
  const width = Math.max(6, ...[...byFolder.keys()].map((f) => f.length));
  console.log(`${'folder'.padEnd(width)}  passed  failed  skipped  pass%`);
  let P = 0;
  let F = 0;
  for (const [folder, row] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    P += row.pass;
    F += row.fail;
    const pct = row.pass + row.fail ? ((100 * row.pass) / (row.pass + row.fail)).toFixed(1) : '-';
    console.log(`${folder.padEnd(width)}  ${String(row.pass).padStart(6)}  ${String(row.fail).padStart(6)}  ${String(row.skip).padStart(7)}  ${pct.padStart(5)}`);
  }
  if (failures.length) {
    console.log('\nfailing cases:');
    for (const { c, r } of failures) {
      const reason = verbose ? r.reason : (r.reason ?? '').slice(0, 240);
      console.log(`  ${c.id}: ${reason}`);
    }
  }
  if (writePassing) writeFileSync(writePassing, passing.sort().join('\n') + '\n');
  console.log(`\n(${cases.length} cases in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  console.log(`conformance: ${P} passed, ${F} failed`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
