import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { policySchemaFiles, schemasDir } from '../../src/policy/write-schemas.ts';
import { PolicyInputSchema } from '../../src/policy/input.ts';
import { PolicyDecisionSchema } from '../../src/policy/decision.ts';
import { policyTime } from '../../src/policy/policy-time.ts';
import { exampleNames, readExample } from './helpers.ts';

function ajv(): Ajv2020 {
  const a = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(a);
  return a;
}

describe('policy JSON Schemas', () => {
  it('the checked-in schemas/ files equal the z.toJSONSchema output (run `npx tsx src/policy/write-schemas.ts`)', () => {
    for (const [name, text] of Object.entries(policySchemaFiles())) {
      expect(readFileSync(join(schemasDir(), name), 'utf8'), `schemas/${name} drifted`).toBe(text);
    }
  });

  it('every example input is valid for both the zod schema and the published JSON Schema', () => {
    const validate = ajv().compile(JSON.parse(policySchemaFiles()['policy-input.schema.json']) as object);
    const names = exampleNames();
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) {
      const input = readExample(name);
      expect(PolicyInputSchema.safeParse(input).error, name).toBeUndefined();
      expect(validate(input), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('the JSON Schema rejects what the zod schema rejects', () => {
    const validate = ajv().compile(JSON.parse(policySchemaFiles()['policy-input.schema.json']) as object);
    const bad = { ...readExample('rollback-business-hours'), action: 'merge' };
    expect(validate(bad)).toBe(false);
    expect(PolicyInputSchema.safeParse(bad).success).toBe(false);
    const extra = { ...readExample('rollback-business-hours'), surprise: true };
    expect(validate(extra)).toBe(false);
    expect(PolicyInputSchema.safeParse(extra).success).toBe(false);
  });

  it('the decision schema fills defaults and rejects unknown enforcement levels', () => {
    expect(PolicyDecisionSchema.parse({ allow: true })).toEqual({ allow: true, deny: [], pending: null, auto_merge: false, warnings: [] });
    expect(PolicyDecisionSchema.safeParse({ allow: false, deny: [{ reason: 'x', enforcement: 'maybe' }] }).success).toBe(false);
    const validate = ajv().compile(JSON.parse(policySchemaFiles()['policy-decision.schema.json']) as object);
    expect(validate({ allow: false, deny: [{ reason: 'x', enforcement: 'hard', rule: 'r' }], pending: { approvals_required: 1, teams: ['sre'], users: [] } })).toBe(true);
  });

  it('policyTime derives weekday, hour and ns in UTC', () => {
    expect(policyTime(new Date('2024-05-18T03:04:05Z'))).toEqual({ now: '2024-05-18T03:04:05Z', weekday: 'Saturday', hour: 3, ns: 1716001445000000000 });
    expect(policyTime(new Date('2024-05-13T23:59:59.250Z')).weekday).toBe('Monday');
  });
});
