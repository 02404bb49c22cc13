import { describe, expect, it } from 'vitest';
import { decide, loadPolicySet } from '../../src/policy/evaluate-decision.ts';
import { readBundle } from '../../src/policy/opa-wasm/read-bundle.ts';
import { FAIL_CLOSED_RULE } from '../../src/policy/decision.ts';
import type { Logger } from '../../src/shared/logger.ts';
import { assembleFixture, buildBundle, readExample } from './helpers.ts';

const now = new Date('2024-05-14T10:30:00Z');
const input = readExample('rollback-business-hours');
const manifest = JSON.stringify({ revision: 'r1', roots: [''], wasm: [{ entrypoint: 'unwind/decision', module: '/policy.wasm' }] });

function recordingLogger(): Logger & { lines: Array<{ obj: unknown; msg?: string }> } {
  const lines: Array<{ obj: unknown; msg?: string }> = [];
  const log = (obj: object | string, msg?: string): void => {
    lines.push({ obj, msg });
  };
  const logger = { lines, info: log, warn: log, error: log, debug: log, child: () => logger };
  return logger;
}

describe('opa-wasm engine (hand-written ABI fixture, not an OPA build)', () => {
  for (const minor of [2, 1] as const) {
    it(`evaluates a bare policy.wasm through @open-policy-agent/opa-wasm (ABI 1.${minor})`, async () => {
      const wasm = Buffer.from(await assembleFixture({ minor }));
      const logger = recordingLogger();
      const set = await loadPolicySet([{ path: 'policy.wasm', content: wasm }, { path: 'unwind.rego', content: 'package unwind\n' }], { logger });
      expect(set.engine).toBe('opa-wasm');
      expect(set.failure).toBeUndefined();
      expect(set.files).toEqual(['policy.wasm']);
      const d = decide(set, input, { now });
      expect(d).toMatchObject({ allow: true, deny: [], pending: null, auto_merge: true, engine: 'opa-wasm', policy_version: set.policyVersion });
      expect(d.warnings).toEqual(['decided by the opa-wasm ABI fixture']);
      expect(d.errors).toBeUndefined();
      expect(logger.lines.some((l) => (l.obj as { engine?: string }).engine === 'opa-wasm' && /opa-wasm/.test(l.msg ?? ''))).toBe(true);
    });
  }

  it('evaluates a bundle.tar.gz laid out as opa build -t wasm writes it', async () => {
    const wasm = await assembleFixture();
    const bundle = await buildBundle({ '/.manifest': manifest, '/policy.wasm': wasm, '/data.json': '{"unwind_config":{"approver_teams":["sre"]}}' });
    const set = await loadPolicySet([{ path: 'bundle.tar.gz', content: bundle }]);
    expect(set.failure).toBeUndefined();
    const d = decide(set, input, { now });
    expect(d.engine).toBe('opa-wasm');
    expect(d.allow).toBe(true);
    expect(d.policy_version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('reads the wasm module the manifest names and merges nested data.json files', async () => {
    const wasm = await assembleFixture();
    const bundle = await buildBundle({
      '.manifest': JSON.stringify({ wasm: [{ entrypoint: 'unwind/decision', module: '/build/main.wasm' }] }),
      'build/main.wasm': wasm,
      'data.json': '{"a":1}',
      'unwind_config/data.json': '{"approver_teams":["ops"]}',
    });
    const b = await readBundle(bundle, 'bundle.tar.gz');
    expect(Buffer.from(b.wasm).equals(Buffer.from(wasm))).toBe(true);
    expect(b.data).toEqual({ a: 1, unwind_config: { approver_teams: ['ops'] } });
  });

  it('fails closed when the bundle has no policy.wasm', async () => {
    const bundle = await buildBundle({ '/.manifest': '{}', '/data.json': '{}' });
    const set = await loadPolicySet([{ path: 'org/bundle.tar.gz', content: bundle }]);
    const d = decide(set, input, { now });
    expect(d.allow).toBe(false);
    expect(d.engine).toBe('opa-wasm');
    expect(d.deny).toEqual([{ reason: expect.stringContaining('org/bundle.tar.gz: the bundle has no /policy.wasm'), enforcement: 'hard', rule: FAIL_CLOSED_RULE }]);
  });

  it('fails closed on a file that is not a gzip tar', async () => {
    const set = await loadPolicySet([{ path: 'bundle.tar.gz', content: Buffer.from('not a bundle') }]);
    expect(decide(set, input, { now }).deny[0].reason).toContain('not a gzip file');
  });

  it('fails closed when the module lacks the unwind/decision entrypoint', async () => {
    const wasm = Buffer.from(await assembleFixture());
    const renamed = Buffer.from(wasm.toString('latin1').replace('{"unwind/decision":0}', '{"unwind/decisiox":0}'), 'latin1');
    const set = await loadPolicySet([{ path: 'policy.wasm', content: renamed }]);
    const d = decide(set, input, { now });
    expect(d.allow).toBe(false);
    expect(d.deny[0].reason).toContain('no "unwind/decision" entrypoint (it has: unwind/decisiox)');
  });

  it('fails closed when the wasm decision does not match the schema', async () => {
    const wasm = Buffer.from(await assembleFixture({ decision: '{\\"allow\\":\\"yes\\"}' }));
    const set = await loadPolicySet([{ path: 'policy.wasm', content: wasm }]);
    const d = decide(set, input, { now });
    expect(d.allow).toBe(false);
    expect(d.deny[0]).toMatchObject({ enforcement: 'hard', rule: FAIL_CLOSED_RULE });
    expect(d.deny[0].reason).toMatch(/does not match the decision schema at allow/);
  });

  it('fails closed when two compiled policies are present', async () => {
    const wasm = Buffer.from(await assembleFixture());
    const set = await loadPolicySet([
      { path: 'policy.wasm', content: wasm },
      { path: 'bundle.tar.gz', content: await buildBundle({ '/policy.wasm': wasm }) },
    ]);
    expect(decide(set, input, { now }).deny[0].reason).toContain('more than one compiled policy');
  });
});
