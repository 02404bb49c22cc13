/** graphql.* builtins: gqlparser's AST and messages from graphql-js, gqlparser's schema rules (OPA topdown/graphql.go). */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../../src/policy/rego/index.ts';
import { toJS } from '../../../../src/policy/rego/value.ts';

function q(expr: string, input: Record<string, unknown> = {}): unknown {
  const r = compile({ modules: [] }).queryFull(`x := ${expr}`, { input, strictBuiltinErrors: true });
  return r.solutions.length ? toJS(r.solutions[0].bindings.x) : undefined;
}

const schema = `
  extend type Query { rollback(id: ID!, dryRun: Boolean = false): Rollback }
  type Rollback { id: ID! repos: [String!]! }
`;

describe('graphql', () => {
  it('parse_query returns gqlparser-shaped JSON without positions or empty members', () => {
    expect(q('graphql.parse_query(input.q)', { q: 'query R($id: ID!) { r: rollback(id: $id) { id } }' })).toEqual({
      Operations: [
        {
          Name: 'R',
          Operation: 'query',
          VariableDefinitions: [{ Variable: 'id', Type: { NamedType: 'ID', NonNull: true }, Used: false }],
          SelectionSet: [
            { Alias: 'r', Name: 'rollback', Arguments: [{ Name: 'id', Value: { Kind: 0, Raw: 'id', ExpectedTypeHasDefault: false } }], SelectionSet: [{ Alias: 'id', Name: 'id' }] },
          ],
        },
      ],
    });
  });

  it('syntax errors carry gqlparser wording and the location', () => {
    expect(() => q('graphql.parse_query(input.q)', { q: '{ f {} }' })).toThrow('graphql.parse_query: expected at least one definition, found } in GraphQL string at location 1:6');
    expect(() => q('graphql.parse_schema(input.s)', { s: 'type A { f(: Int }' })).toThrow('graphql.parse_schema: Expected Name, found : in GraphQL string at location 1:12');
  });

  it('schemas load as gqlparser loads them: extending an undeclared type declares it', () => {
    expect(q('graphql.schema_is_valid(input.s)', { s: schema })).toBe(true);
    expect(q('graphql.schema_is_valid(input.s)', { s: 'type A implements Missing { f: Int }' })).toBe(false);
    expect(q('graphql.schema_is_valid(input.s)', { s: 'input I { o: O } type O { f: Int }' })).toBe(false);
  });

  it('queries are validated against the schema', () => {
    expect(q('graphql.is_valid(input.q, input.s)', { q: '{ rollback(id: "1") { id repos } }', s: schema })).toBe(true);
    expect(q('graphql.is_valid(input.q, input.s)', { q: '{ rollback { id } }', s: schema })).toBe(false);
    expect(() => q('graphql.parse(input.q, input.s)', { q: '{ rollback { id } }', s: schema })).toThrow(
      'graphql.parse: Field "rollback" argument "id" of type "ID!" is required, but it was not provided in GraphQL query string at location 1:3',
    );
    // ASTs from parse_query/parse_schema are accepted in place of text.
    expect(q('graphql.is_valid(graphql.parse_query(input.q), graphql.parse_schema(input.s))', { q: '{ rollback(id: "1") { id } }', s: schema })).toBe(true);
    expect(q('graphql.parse_and_verify(input.q, input.s)', { q: '{ nope }', s: schema })).toEqual([false, {}, {}]);
  });
});
