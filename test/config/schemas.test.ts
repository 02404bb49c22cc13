import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { buildJsonSchemas, SCHEMAS_DIR } from '../../src/config/write-schemas.ts';
import { parse } from 'yaml';

const generated = buildJsonSchemas();

type Json = Record<string, unknown>;

/** Every property of every object schema, with its JSON pointer-ish path. */
function properties(schema: Json, path = ''): Array<{ path: string; prop: Json; required: boolean }> {
  const out: Array<{ path: string; prop: Json; required: boolean }> = [];
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  for (const [name, prop] of Object.entries(props)) {
    out.push({ path: `${path}.${name}`, prop, required: required.has(name) });
    out.push(...properties(prop, `${path}.${name}`));
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const sub = schema[key];
    if (sub && typeof sub === 'object') out.push(...properties(sub as Json, `${path}.${key}`));
  }
  return out;
}

describe('published JSON Schemas', () => {
  it.each(Object.keys(generated))('schemas/%s matches the zod schema (run `npx tsx src/config/write-schemas.ts`)', (name) => {
    expect(readFileSync(join(SCHEMAS_DIR, name), 'utf8')).toBe(generated[name]);
  });

  it.each(Object.keys(generated))('%s: every field has a description, and a default unless required', (name) => {
    const schema = JSON.parse(generated[name]) as Json;
    const props = properties(schema);
    expect(props.length).toBeGreaterThan(5);
    for (const { path, prop, required } of props) {
      expect(typeof prop.description, `${path} description`).toBe('string');
      if (!required && path !== '._extends') expect(prop, `${path} default`).toHaveProperty('default');
    }
    expect(schema.additionalProperties).toBe(false);
  });

  it('validates the fixtures with a standard JSON Schema validator (what editors do)', () => {
    const ajv = new Ajv2020({ strict: false });
    const contract = ajv.compile(JSON.parse(generated['contract.schema.json']));
    const map = ajv.compile(JSON.parse(generated['map.schema.json']));
    const fixtures = join(import.meta.dirname, '..', 'fixtures', 'config');
    expect(map(parse(readFileSync(join(fixtures, 'org/unwind/map.yml'), 'utf8')))).toBe(true);
    expect(contract(parse(readFileSync(join(fixtures, 'contracts/acme/api.yml'), 'utf8')))).toBe(true);
    expect(contract(parse(readFileSync(join(fixtures, 'contracts/acme/schema.yml'), 'utf8')))).toBe(true);
    expect(contract({})).toBe(true);
    expect(contract(parse(readFileSync(join(fixtures, 'bad/unwind.yml'), 'utf8')))).toBe(false);
    expect(contract({ auto_revert: { max_culprit_age: '2 days' } })).toBe(false);
  });
});
