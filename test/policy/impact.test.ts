/**
 * Policy impact: inputs recorded in `requested` ledger entries, replayed under the policies in force
 * and under changed ones; only decisions that come out differently are listed. Real shipped Rego.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { policyImpact } from '../../src/cli/commands/policy-impact.ts';
import type { LedgerEntry } from '../../src/ledger/entry.ts';
import { toJsonLines } from '../../src/ledger/to-json-lines.ts';
import { compareDecisions } from '../../src/policy/impact/compare-decisions.ts';
import { policySetOf } from '../../src/policy/impact/policy-set-of.ts';
import { recordedInputs } from '../../src/policy/impact/recorded-input.ts';

const example = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'policies', 'examples', name), 'utf8')) as Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'unwind-impact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function requested(id: string, at: string, input: Record<string, unknown> | null, seq = 1): LedgerEntry {
  return {
    v: 1,
    rollback_id: id,
    seq,
    at,
    actor: 'alice',
    action: 'requested',
    decision: { allow: true, pending: false, reasons: [], engine: 'rego' },
    policy_version: 'sha256:abc',
    outcome: 'allowed',
    links: [{ rel: 'origin', url: `https://github.com/acme/api/pull/${seq}` }],
    details: input ? { policy_input: input } : {},
  };
}

// A rollback of a service in business hours: the shipped policy allows it; the night example needs an approval.
const dayInput = example('rollback-business-hours.json');
const nightInput = example('rollback-prod-night.json');

describe('policy impact', () => {
  it('lists exactly the decisions a tighter policy would flip, each evaluated at the time it was made', async () => {
    const base = await policySetOf([]);
    // Tighter: business hours on no day, so prod-tier services always need an approval; and two of them.
    const head = await policySetOf([{ path: 'data.json', content: JSON.stringify({ unwind_config: { business_hours: { days: [] }, required_approvals: 2 } }) }]);
    const { inputs, skipped } = recordedInputs([requested('rb-day00001', '2026-01-01T10:00:00Z', dayInput), requested('rb-night0001', '2026-01-02T03:00:00Z', nightInput), requested('rb-old000001', '2025-01-01T00:00:00Z', null)], { limit: 50 });
    expect(skipped).toEqual(['rb-old000001']);
    const report = compareDecisions(base, head, inputs);
    expect(report.rows).toHaveLength(2);
    const byId = Object.fromEntries(report.rows.map((r) => [r.rollbackId, r]));
    // The night rollback already needed one approval; now it needs two.
    expect(byId['rb-night0001'].base.verdict).toBe('pending');
    expect(byId['rb-night0001'].head).toMatchObject({ verdict: 'pending', approvals: 2 });
    expect(byId['rb-night0001'].change).toBe('approvals 1 → 2');
    expect(byId['rb-day00001'].base.verdict).toBe('allow');
    // No prod-tier service in the day rollback: the change does not touch it, and it is not listed.
    expect(byId['rb-day00001'].head.verdict).toBe('allow');
    expect(report.flips.map((f) => f.rollbackId)).toEqual(['rb-night0001']);
  });

  it('finds no flip when the policies are the same, and keeps only the newest N rollbacks', async () => {
    const set = await policySetOf([]);
    const { inputs } = recordedInputs([requested('rb-aaaaaaaa', '2026-01-01T00:00:00Z', nightInput), requested('rb-bbbbbbbb', '2026-01-03T00:00:00Z', nightInput)], { limit: 1 });
    expect(inputs.map((i) => i.rollbackId)).toEqual(['rb-bbbbbbbb']);
    expect(compareDecisions(set, set, inputs).flips).toEqual([]);
  });

  it('`unwind policy impact` reads an audit export and two folders, and exits 1 when a decision flips', async () => {
    const ledgers = join(dir, 'ledgers.jsonl');
    writeFileSync(ledgers, toJsonLines([requested('rb-night0001', '2026-01-02T03:00:00Z', nightInput)]));
    const base = join(dir, 'base');
    const head = join(dir, 'head', 'unwind', 'policies');
    mkdirSync(base, { recursive: true });
    mkdirSync(head, { recursive: true });
    writeFileSync(join(head, 'data.json'), JSON.stringify({ unwind_config: { required_approvals: 3 } }));
    const out = await policyImpact({ base, head: join(dir, 'head'), ledgers: [ledgers] });
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toContain('1 decision(s) replayed, 1 would change');
    expect(out.stdout).toMatch(/rb-night0001 .*pending \(1 approval from @sre\) -> pending \(3 approvals from @sre\) {2}\(approvals 1 → 3\) {2}https:\/\/github\.com\/acme\/api\/pull\/1/);
    const same = await policyImpact({ base, head: base, ledgers: [ledgers] });
    expect(same.exitCode).toBe(0);
  });

  it('stops at a line that is not a ledger entry, naming the file and line', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${JSON.stringify(requested('rb-aaaaaaaa', '2026-01-01T00:00:00Z', null))}\n{"v":1}\n`);
    await expect(policyImpact({ base: dir, head: dir, ledgers: [bad] })).rejects.toThrow(`${bad}:2: not a ledger entry`);
    await expect(policyImpact({ base: join(dir, 'nope'), head: dir, ledgers: [bad] })).rejects.toThrow('--base');
  });
});
