/**
 * Smoke test of the differential fuzzer (src/policy/rego/fuzz/): with a fixed seed, generated
 * policies are deterministic, compile in the engine (the generator writes well-formed Rego) and
 * evaluate to a value, undefined or a Rego error, never an exception. The comparison with OPA runs
 * outside CI (`npx tsx src/policy/rego/fuzz/run.ts`); its fixed-seed corpus with OPA's results is
 * test/policy/rego/cases/fuzz-seed-7.yaml, checked by conformance.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Rng, genInput, generateCase, moduleText } from '../../../src/policy/rego/fuzz/generate.ts';
import { disagreement, engineEval } from '../../../src/policy/rego/fuzz/differential.ts';
import { batchSpec, singleSpec } from '../../../src/policy/rego/fuzz/run.ts';
import { shrink } from '../../../src/policy/rego/fuzz/shrink.ts';
import type { FuzzCase } from '../../../src/policy/rego/fuzz/generate.ts';

describe('rego differential fuzzer (smoke, fixed seed)', () => {
  it('generates the same policy for the same seed', () => {
    expect(moduleText(generateCase(42))).toBe(moduleText(generateCase(42)));
    expect(moduleText(generateCase(42))).not.toBe(moduleText(generateCase(43)));
  });

  it('every generated policy compiles and evaluates without an engine exception', () => {
    const kinds = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const c = generateCase(11 * 1_000_003 + i);
      const r = new Rng(i);
      for (const input of [c.input, genInput(r), genInput(r)]) {
        const o = engineEval(singleSpec({ ...c, input }));
        kinds.set(o.kind === 'error' ? o.code : o.kind, (kinds.get(o.kind === 'error' ? o.code : o.kind) ?? 0) + 1);
        expect(o.kind, moduleText(c)).not.toBe('crash');
        if (o.kind === 'error') expect(o.code, moduleText(c)).not.toMatch(/^rego_/);
      }
    }
    // Most evaluations give a value (the package document); conflicts and budget errors are rare.
    expect(kinds.get('value') ?? 0).toBeGreaterThan(150);
  });

  it('a batch of inputs gives the same outcomes as one evaluation per input', () => {
    const c = generateCase(5);
    const r = new Rng(5);
    const inputs = [c.input, genInput(r), genInput(r)];
    const batch = engineEval(batchSpec(c, inputs));
    expect(batch.kind).toBe('value');
    const each = inputs.map((input) => engineEval(singleSpec({ ...c, input })));
    const items = (batch as unknown as { value: unknown[][] }).value;
    each.forEach((o, j) => expect(disagreement(o, items[j].length ? { kind: 'value', value: items[j][0] as never } : { kind: 'undefined' })).toBeUndefined());
  });

  it('shrinks a case while the judge still reports the same class', async () => {
    const c: FuzzCase = { rules: [{ head: 'r0 := 1', body: [] }, { head: 'r1 := 2', body: ['input.x > 1', 'input.y'] }], input: { x: 2, y: true, z: 3 } };
    // A stand-in judge: "disagrees" while r1 with `input.x > 1` is present.
    const judge = async (k: FuzzCase) => (k.rules.some((x) => x.head === 'r1 := 2' && x.body.includes('input.x > 1')) ? 'cls' : undefined);
    const small = await shrink(c, 'cls', judge);
    expect(small.rules).toEqual([{ head: 'r1 := 2', body: ['input.x > 1'] }]);
    expect(small.input).toEqual({});
  });
});
