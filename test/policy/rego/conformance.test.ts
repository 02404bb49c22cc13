/**
 * Regression guard: every conformance case listed in conformance-passing.txt must keep passing, and
 * every case of the project's own (cases/, expectations filled by the OPA oracle) must pass.
 * Regenerate the list with `npm run conformance -- --write-passing test/policy/rego/conformance-passing.txt`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROOT, collectCases } from '../../../src/policy/rego/conformance/run.ts';
import { runCase } from '../../../src/policy/rego/conformance/run-case.ts';

const listFile = fileURLToPath(new URL('./conformance-passing.txt', import.meta.url));
const projectCases = fileURLToPath(new URL('./cases', import.meta.url));
const listed = readFileSync(listFile, 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

describe('rego conformance (listed passing cases)', () => {
  it('lists cases', () => {
    expect(listed.length).toBeGreaterThan(500);
  });

  it('every listed case still passes', () => {
    const cases = new Map(collectCases([DEFAULT_ROOT]).map((c) => [c.id, c]));
    const regressions: string[] = [];
    for (const id of listed) {
      const c = cases.get(id);
      if (!c) {
        regressions.push(`${id}: case not found`);
        continue;
      }
      const r = runCase(c);
      if (r.status !== 'pass') regressions.push(`${id}: ${r.status} ${r.reason ?? ''}`);
    }
    expect(regressions).toEqual([]);
  });
});

describe('rego conformance (project cases)', () => {
  it('every case under test/policy/rego/cases passes', () => {
    const cases = collectCases([projectCases]);
    expect(cases.length).toBeGreaterThan(100);
    const failures = cases.map((c) => ({ id: c.id, r: runCase(c) })).filter(({ r }) => r.status !== 'pass');
    expect(failures.map(({ id, r }) => `${id}: ${r.status} ${r.reason ?? ''}`)).toEqual([]);
  });
});
