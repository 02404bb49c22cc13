import { describe, expect, it } from 'vitest';
import { decide, loadPolicySet } from '../../src/policy/evaluate-decision.ts';
import { FAIL_CLOSED_RULE } from '../../src/policy/decision.ts';
import { hashPolicyFiles } from '../../src/policy/hash-policy-files.ts';
import { readExample } from './helpers.ts';

const now = new Date('2024-05-14T10:30:00Z');
const input = readExample('rollback-business-hours');

async function decideWith(rego: string, opts: { data?: string; budget?: { maxSteps?: number; timeoutMs?: number }; input?: unknown } = {}) {
  const files = [{ path: 'p/policy.rego', content: rego }];
  if (opts.data) files.push({ path: 'p/data.json', content: opts.data });
  const set = await loadPolicySet(files);
  return { set, d: decide(set, opts.input ?? input, { now, budget: opts.budget }) };
}

function expectFailClosed(d: ReturnType<typeof decide>, pattern: RegExp): void {
  expect(d.allow).toBe(false);
  expect(d.auto_merge).toBe(false);
  expect(d.pending).toBeNull();
  expect(d.deny).toHaveLength(1);
  expect(d.deny[0]).toMatchObject({ enforcement: 'hard', rule: FAIL_CLOSED_RULE });
  expect(d.deny[0].reason).toMatch(pattern);
  expect(d.errors).toEqual([d.deny[0].reason]);
}

/** A billion iterations of a rule body: only the budget stops it. */
const RUNAWAY =
  'package unwind\n\nr := numbers.range(1, 1000)\n\nfound if {\n\ta := r[_]\n\tb := r[_]\n\tc := r[_]\n\ta == (b + c) + 5000\n}\n\ndecision := {"allow": found}\n';

describe('decide() with the rego engine', () => {
  it('returns the policy decision with engine and policy version', async () => {
    const rego = 'package unwind\n\ndecision := {"allow": true, "deny": [], "pending": null, "auto_merge": true, "warnings": [sprintf("hi %s", [input.actor.login])]}\n';
    const { set, d } = await decideWith(rego);
    expect(set.engine).toBe('rego');
    expect(d).toEqual({ allow: true, deny: [], pending: null, auto_merge: true, warnings: ['hi alice'], engine: 'rego', policy_version: set.policyVersion });
    expect(set.policyVersion).toBe(hashPolicyFiles([{ path: 'p/policy.rego', content: rego }]));
  });

  it('merges data.json into data and ignores *_test.rego', async () => {
    const rego = 'package unwind\n\ndecision := {"allow": data.cfg.ok}\n';
    const set = await loadPolicySet([
      { path: 'unwind.rego', content: rego },
      { path: 'data.json', content: '{"cfg": {"ok": true}}' },
      { path: 'unwind_test.rego', content: 'package broken syntax (((' },
    ]);
    expect(set.files).toEqual(['unwind.rego', 'data.json']);
    expect(decide(set, input, { now }).allow).toBe(true);
  });

  it('gives time.now_ns() the decision instant', async () => {
    const { d } = await decideWith('package unwind\n\ndecision := {"allow": time.now_ns() == 1715682600000000000}\n');
    expect(d.allow).toBe(true);
  });

  it('treats allow:true with a blocking reason as not allowed', async () => {
    const { d } = await decideWith('package unwind\n\ndecision := {"allow": true, "deny": [{"reason": "no", "enforcement": "soft"}]}\n');
    expect(d.allow).toBe(false);
    expect(d.warnings.join()).toMatch(/despite blocking reasons/);
    const advisory = await decideWith('package unwind\n\ndecision := {"allow": true, "deny": [{"reason": "fyi", "enforcement": "advisory"}]}\n');
    expect(advisory.d.allow).toBe(true);
  });

  describe('fails closed', () => {
    it('on a parse error, naming file:line:col', async () => {
      const { d } = await decideWith('package unwind\n\ndecision := {"allow": true\n');
      expectFailClosed(d, /policy does not compile: p\/policy\.rego:\d+:\d+: rego_parse_error/);
    });

    it('on a compile error (unsafe variable), naming file:line:col', async () => {
      const { d } = await decideWith('package unwind\n\ndecision := {"allow": x}\n');
      expectFailClosed(d, /policy does not compile: p\/policy\.rego:3:\d+: rego_unsafe_var_error/);
    });

    it('on an invalid data file', async () => {
      const { d } = await decideWith('package unwind\n\ndecision := {"allow": true}\n', { data: '{"a": ' });
      expectFailClosed(d, /p\/data\.json: invalid JSON/);
    });

    it('when two data files disagree', async () => {
      const set = await loadPolicySet([
        { path: 'p.rego', content: 'package unwind\n\ndecision := {"allow": true}\n' },
        { path: 'a/data.json', content: '{"cfg": {"teams": ["sre"], "x": 1}}' },
        { path: 'b/data.yaml', content: 'cfg:\n  teams: [ops]\n' },
      ]);
      expectFailClosed(decide(set, input, { now }), /b\/data\.yaml: data\.cfg\.teams conflicts with the value from a\/data\.json/);
    });

    it('when the budget is exhausted by a runaway policy', async () => {
      const rego = RUNAWAY;
      const started = Date.now();
      const { d } = await decideWith(rego, { budget: { maxSteps: 20_000, timeoutMs: 5_000 } });
      expectFailClosed(d, /exceeded its budget \(20000 steps, 5000 ms\)/);
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('when the time budget is exhausted', async () => {
      const rego = RUNAWAY;
      const started = Date.now();
      const { d } = await decideWith(rego, { budget: { maxSteps: 1e12, timeoutMs: 50 } });
      expectFailClosed(d, /exceeded its budget/);
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('on an evaluation error (conflicting complete rules)', async () => {
      const rego = 'package unwind\n\ndecision := {"allow": true} if input.action == "rollback"\n\ndecision := {"allow": false} if input.actor.is_bot == false\n';
      const { d } = await decideWith(rego);
      expectFailClosed(d, /policy evaluation failed: .*conflict/);
    });

    it('when the decision is undefined', async () => {
      const { d } = await decideWith('package unwind\n\ndecision := {"allow": true} if input.action == "abort"\n');
      expectFailClosed(d, /data\.unwind\.decision is undefined for this input/);
    });

    it('when the decision does not match the schema', async () => {
      const { d } = await decideWith('package unwind\n\ndecision := {"allow": "yes"}\n');
      expectFailClosed(d, /does not match the decision schema at allow/);
      const bad = await decideWith('package unwind\n\ndecision := {"allow": false, "deny": [{"reason": "x", "enforcement": "sometimes"}]}\n');
      expectFailClosed(bad.d, /does not match the decision schema at deny\.0\.enforcement/);
    });

    it('when the input is not a valid v1 input', async () => {
      const { d } = await decideWith('package unwind\n\ndecision := {"allow": true}\n', { input: { ...input, version: 2 } });
      expectFailClosed(d, /invalid policy input at version/);
    });

    it('when there is no policy at all', async () => {
      const set = await loadPolicySet([{ path: 'README.md', content: '# nothing' }]);
      expectFailClosed(decide(set, input, { now }), /no policy found/);
    });
  });
});
