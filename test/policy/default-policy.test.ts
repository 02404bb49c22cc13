import { describe, expect, it } from 'vitest';
import { decide, loadDefaultPolicies } from '../../src/policy/evaluate-decision.ts';
import { readPolicyPaths } from '../../src/policy/read-policy-paths.ts';
import { runPolicyTests } from '../../src/policy/run-policy-tests.ts';
import type { Decision } from '../../src/policy/decision.ts';
import { exampleNames, POLICIES, readExample } from './helpers.ts';

const now = new Date('2024-05-18T03:00:00Z');

/** What the shipped policy must answer for each example input in policies/examples/. */
const expected: Record<string, (d: Decision) => void> = {
  'rollback-business-hours': (d) => expect(d).toMatchObject({ allow: true, deny: [], pending: null, auto_merge: true }),
  'rollback-prod-night': (d) => {
    expect(d).toMatchObject({ allow: false, deny: [], pending: { approvals_required: 1, teams: ['sre'], users: [] }, auto_merge: false });
    expect(d.warnings.join('\n')).toContain('prod-tier services (payments) outside business hours');
  },
  'rollback-prod-night-approved': (d) => {
    expect(d).toMatchObject({ allow: true, deny: [], pending: null });
    expect(d.warnings.join('\n')).toContain('the approval by @alice does not count');
  },
  'approve-own-rollback': (d) => expect(d).toMatchObject({ allow: false, deny: [{ enforcement: 'hard', rule: 'unwind.no_self_approval' }] }),
  'abort-while-paused': (d) => expect(d).toMatchObject({ allow: true, deny: [] }),
  'rollback-while-pause-issue-open': (d) =>
    expect(d).toMatchObject({ allow: false, deny: [{ enforcement: 'hard', rule: 'unwind.kill_switch', reason: expect.stringContaining('acme/.github#7') }] }),
  'auto-over-repo-cap': (d) => expect(d).toMatchObject({ allow: false, deny: [{ enforcement: 'soft', rule: 'unwind.auto_revert_cap_repo' }] }),
  'rollback-by-reader': (d) => expect(d).toMatchObject({ allow: false, deny: [{ enforcement: 'hard', rule: 'unwind.writers_only' }] }),
  'override-paused-contract': (d) => {
    expect(d).toMatchObject({ allow: true, deny: [] });
    expect(d.warnings.join('\n')).toContain('overridden by @alice (INC-4471');
  },
};

describe('the shipped default policy', () => {
  it('has an expectation for every example input', () => {
    expect(exampleNames()).toEqual(Object.keys(expected).sort());
  });

  for (const name of Object.keys(expected)) {
    it(`decides ${name}.json as documented`, async () => {
      const set = await loadDefaultPolicies();
      expect(set.failure).toBeUndefined();
      const d = decide(set, readExample(name), { now });
      expect(d.errors).toBeUndefined();
      expect(d.engine).toBe('rego');
      expect(d.policy_version).toBe(set.policyVersion);
      expected[name](d);
    });
  }

  it('passes its own *_test.rego tests', async () => {
    const files = await readPolicyPaths([POLICIES], { relativeTo: POLICIES });
    const report = runPolicyTests(files, { now });
    expect(report.problems).toEqual([]);
    const bad = report.results.filter((r) => r.status !== 'pass');
    expect(bad, bad.map((r) => `${r.status} ${r.ref} ${r.file}:${r.line}: ${r.message}`).join('\n')).toEqual([]);
    expect(report.results.length).toBeGreaterThanOrEqual(30);
  });
});
