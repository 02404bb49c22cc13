import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { normalizeNullable } from '../../../src/sandbox/contract/normalize-nullable.ts';

describe('normalizeNullable', () => {
  it('turns a typed nullable into a type list and adds null to its enum', () => {
    const schema = { type: 'string', nullable: true, enum: ['a', 'b'] };
    expect(normalizeNullable(schema)).toBe(1);
    expect(schema).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
  });

  it('wraps a nullable combinator without type in anyOf [rest, null], keeping annotations outside', () => {
    const schema = { description: 'd', nullable: true, allOf: [{ $ref: '#/x' }] };
    normalizeNullable(schema);
    expect(schema).toEqual({ description: 'd', anyOf: [{ allOf: [{ $ref: '#/x' }] }, { type: 'null' }] });
  });

  it('wraps when type and a combinator are both present, so null is not rejected by the combinator', () => {
    const schema = { type: 'object', nullable: true, allOf: [{ required: ['a'] }] };
    normalizeNullable(schema);
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(null)).toBe(true);
    expect(validate({ a: 1 })).toBe(true);
    expect(validate({})).toBe(false);
  });

  it('drops nullable: false and rewrites nested schemas, but leaves a property named "nullable" alone', () => {
    const schema = {
      type: 'object',
      nullable: false,
      properties: { nullable: { type: 'boolean' }, inner: { type: 'integer', nullable: true } },
    };
    expect(normalizeNullable(schema)).toBe(2);
    expect(schema).toEqual({
      type: 'object',
      properties: { nullable: { type: 'boolean' }, inner: { type: ['integer', 'null'] } },
    });
  });
});
