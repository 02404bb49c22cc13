/** json.verify_schema / json.match_schema: ajv's verdicts in gojsonschema's error shape (OPA topdown/json.go). */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';
import { toJS } from '../../../../src/policy/rego/value.ts';

function q(expr: string, input: Record<string, unknown> = {}): unknown {
  const r = compile({ modules: [] }).queryFull(`x := ${expr}`, { input, strictBuiltinErrors: true });
  return r.solutions.length ? toJS(r.solutions[0].bindings.x) : undefined;
}

const schema = { type: 'object', properties: { tier: { enum: ['gold', 'silver'] }, repos: { type: 'array', minItems: 1 } }, required: ['repos'], additionalProperties: false };

describe('json schema builtins', () => {
  it('match_schema accepts a matching document, given as a value or as JSON text', () => {
    expect(q('json.match_schema(input.d, input.s)', { d: { tier: 'gold', repos: ['a'] }, s: schema })).toEqual([true, []]);
    expect(q('json.match_schema(input.d, input.s)', { d: '{"repos": ["a"]}', s: JSON.stringify(schema) })).toEqual([true, []]);
  });

  it('each violation is reported with its field, type and description', () => {
    const [ok, errors] = q('json.match_schema(input.d, input.s)', { d: { tier: 'bronze', other: 1 }, s: schema }) as [boolean, Array<Record<string, string>>];
    expect(ok).toBe(false);
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: '(root)', type: 'required', desc: 'repos is required', error: '(root): repos is required' },
        { field: '(root)', type: 'additional_property_not_allowed', desc: 'Additional property other is not allowed', error: '(root): Additional property other is not allowed' },
        { field: 'tier', type: 'enum', desc: 'tier must be one of the following: "gold", "silver"', error: 'tier: tier must be one of the following: "gold", "silver"' },
      ]),
    );
  });

  it('verify_schema reports an invalid schema instead of failing', () => {
    expect(q('json.verify_schema(input.s)', { s: schema })).toEqual([true, null]);
    expect(q('json.verify_schema(input.s)', { s: { type: 'unknown' } })).toEqual([
      false,
      'has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]',
    ]);
    expect(() => q('json.match_schema({}, input.s)', { s: { minLength: 'x' } })).toThrow('json.match_schema: schema is invalid');
  });
});
