#!/usr/bin/env node
// The project's test command: type-check, then vitest; ends with the plain line "N passed, N failed".
// Type-checking counts as one test. Extra arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (name) => join(import.meta.dirname, '..', 'node_modules', '.bin', name);
let passed = 0;
let failed = 0;

const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', '.'], { stdio: 'inherit' });
if (tsc.status === 0) passed++;
else failed++;
console.log(`typecheck: ${tsc.status === 0 ? 'passed' : 'FAILED'}`);

const dir = mkdtempSync(join(tmpdir(), 'unwind-test-'));
const out = join(dir, 'vitest.json');
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
try {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A test file that failed to load has no failed test but must count as a failure.
  for (const file of report.testResults ?? []) if (file.status === 'failed' && file.assertionResults.length === 0) failed++;
} catch {
  failed++;
  console.log('vitest produced no report');
}
rmSync(dir, { recursive: true, force: true });
if (vitest.status !== 0 && failed === 0) failed++;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
