import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { policyEval, policyTest } from '../../src/cli/commands/policy.ts';
import { EXAMPLES, POLICIES, ROOT } from './helpers.ts';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'unwind-policy-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/main.ts', 'policy', ...args], { cwd: ROOT, timeout: 60_000 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('unwind policy (through the real CLI)', () => {
  it('eval prints the decision JSON for an example input, with --help available', async () => {
    const out = await cli(['eval', '--input', join(EXAMPLES, 'rollback-prod-night.json')]);
    expect(out.code).toBe(0);
    const d = JSON.parse(out.stdout) as Record<string, unknown>;
    expect(d).toMatchObject({ allow: false, pending: { approvals_required: 1 }, engine: 'rego' });
    expect(d.policy_version).toMatch(/^sha256:/);
    const help = await cli(['eval', '--help']);
    expect(help.stdout).toMatch(/--input <file>/);
    expect(help.stdout).toMatch(/--explain/);
  });

  it('test runs the shipped tests and prints PASS per test and a summary', async () => {
    const out = await cli(['test']);
    expect(out.stderr).not.toMatch(/unwind:/);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^PASS +data\.unwind_test\.test_writer_may_rollback \(.*unwind_test\.rego:\d+:\d+\)/m);
    expect(out.stdout).toMatch(/^PASS: (\d+)\/\1$/m);
  });
});

describe('unwind policy (command functions)', () => {
  it('eval --explain names the rule and file:line of each deny reason', async () => {
    const out = await policyEval([POLICIES], { input: join(EXAMPLES, 'rollback-while-pause-issue-open.json'), explain: true });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/deny: \[hard\] Unwind is paused by the open unwind:pause issue acme\/\.github#7/);
    expect(out.stdout).toMatch(/from \S+ at .*kill_switch\.rego:\d+:\d+/);
  });

  it('eval --now re-times the input', async () => {
    const day = await policyEval([POLICIES], { input: join(EXAMPLES, 'rollback-prod-night.json'), now: '2024-05-14T10:00:00Z' });
    expect(JSON.parse(day.stdout)).toMatchObject({ allow: true, pending: null });
    await expect(policyEval([POLICIES], { input: join(EXAMPLES, 'rollback-prod-night.json'), now: 'tomorrow' })).rejects.toThrow(/--now: "tomorrow" is not an RFC 3339 instant/);
  });

  it('eval --data adds base data', async () => {
    const cfg = join(tmp, 'cfg.yaml');
    writeFileSync(cfg, 'unwind_config:\n  business_hours:\n    days: [Saturday]\n    start: 0\n    end: 24\n');
    const out = await policyEval([POLICIES], { input: join(EXAMPLES, 'rollback-prod-night.json'), data: [cfg] });
    expect(JSON.parse(out.stdout)).toMatchObject({ allow: true });
  });

  it('eval exits 1 with a fail-closed decision when the policy is broken', async () => {
    const dir = mkdtempSync(join(tmp, 'broken-'));
    writeFileSync(join(dir, 'p.rego'), 'package unwind\n\ndecision := {\n');
    const out = await policyEval([dir], { input: join(EXAMPLES, 'rollback-business-hours.json') });
    expect(out.exitCode).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ allow: false, deny: [{ rule: 'unwind.fail_closed', reason: expect.stringContaining('p.rego:') }] });
  });

  it('eval reports a missing input file clearly', async () => {
    await expect(policyEval([POLICIES], { input: join(tmp, 'nope.json') })).rejects.toThrow(/--input .*nope\.json: no such file/);
  });

  it('test prints FAIL and ERROR with locations and exits 1', async () => {
    const dir = mkdtempSync(join(tmp, 'tests-'));
    writeFileSync(join(dir, 'a_test.rego'), 'package a_test\n\ntest_ok if true\n\ntest_bad if 1 == 2\n\ntest_boom if f(1) == 1\n\nf(_) := 1\n\nf(_) := 2\n');
    const out = await policyTest([dir]);
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(/^PASS +data\.a_test\.test_ok \(.*a_test\.rego:3:1\)/m);
    expect(out.stdout).toMatch(/^FAIL +data\.a_test\.test_bad \(.*a_test\.rego:5:1\).*: undefined$/m);
    expect(out.stdout).toMatch(/^ERROR data\.a_test\.test_boom \(.*a_test\.rego:7:1\)/m);
    expect(out.stdout).toMatch(/^PASS: 1\/3$/m);
    expect(out.stdout).toMatch(/^FAIL: 1\/3$/m);
    expect(out.stdout).toMatch(/^ERROR: 1\/3$/m);
  });
});
