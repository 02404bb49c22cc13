/**
 * graphql.* builtins (OPA topdown/graphql.go): parse_query, parse_schema, parse, parse_and_verify,
 * is_valid, schema_is_valid. Documents are parsed by graphql-js and returned as gqlparser's AST
 * (graphql-ast.ts); schemas are checked with gqlparser's LoadSchema rules and queries validated by
 * graphql-js against the loaded schema (graphql-schema.ts).
 */
import { BuiltinError } from '../builtin-types.ts';
import type { BuiltinDef } from '../builtin-types.ts';
import { fromJS, RObject, toJS } from '../value.ts';
import type { Value } from '../value.ts';
import { GraphQLSyntaxError, parseDocument, prune, queryDocumentJson, schemaDocumentJson } from './graphql-ast.ts';
import type { Json } from './graphql-ast.ts';
import { GraphQLSchemaError, loadSchema, validateQuery } from './graphql-schema.ts';
import type { QueryInput } from './graphql-schema.ts';
import { evalErr, typeErr } from './operands.ts';

function failWith(name: string, e: unknown): never {
  if (e instanceof GraphQLSyntaxError || e instanceof GraphQLSchemaError) throw evalErr(name, e.message);
  throw e;
}

/** A query operand: GraphQL text, or an AST object as parse_query returns it. */
function queryOperand(name: string, v: Value, pos: number): QueryInput {
  if (typeof v === 'string') {
    try {
      const doc = parseDocument(v, 'query');
      return { doc, json: prune(queryDocumentJson(doc)) };
    } catch (e) {
      failWith(name, e);
    }
  }
  if (v instanceof RObject) return { json: toJS(v) as Json };
  throw typeErr(name, pos, v, 'string', 'object');
}

/** A schema operand: SDL text, or an AST object as parse_schema returns it. */
function schemaOperand(name: string, v: Value, pos: number): Json {
  if (typeof v === 'string') {
    try {
      return prune(schemaDocumentJson(parseDocument(v, 'schema')));
    } catch (e) {
      failWith(name, e);
    }
  }
  if (v instanceof RObject) return toJS(v) as Json;
  throw typeErr(name, pos, v, 'string', 'object');
}

/** Loads the schema and validates the query against it; the first problem as OPA words it. */
function check(name: string, q: Value, s: Value): { query: Json; schema: Json } {
  const query = queryOperand(name, q, 1);
  const schema = schemaOperand(name, s, 2);
  try {
    validateQuery(loadSchema(schema), query);
  } catch (e) {
    failWith(name, e);
  }
  return { query: query.json, schema };
}

const QUERY_OR_AST = 'any<string, object[any: any]>';

export const graphqlBuiltins: BuiltinDef[] = [
  {
    name: 'graphql.parse_query',
    arity: 1,
    types: '(query: string) => output: object[any: any]',
    fn: (a) => {
      if (typeof a[0] !== 'string') throw typeErr('graphql.parse_query', 1, a[0], 'string');
      return fromJS(queryOperand('graphql.parse_query', a[0], 1).json);
    },
  },
  {
    name: 'graphql.parse_schema',
    arity: 1,
    types: '(schema: string) => output: object[any: any]',
    fn: (a) => {
      if (typeof a[0] !== 'string') throw typeErr('graphql.parse_schema', 1, a[0], 'string');
      return fromJS(schemaOperand('graphql.parse_schema', a[0], 1));
    },
  },
  {
    name: 'graphql.parse',
    arity: 2,
    types: `(query: ${QUERY_OR_AST}, schema: ${QUERY_OR_AST}) => output: array<object[any: any], object[any: any]>`,
    fn: (a) => {
      const r = check('graphql.parse', a[0], a[1]);
      return [fromJS(r.query), fromJS(r.schema)];
    },
  },
  {
    name: 'graphql.parse_and_verify',
    arity: 2,
    types: `(query: ${QUERY_OR_AST}, schema: ${QUERY_OR_AST}) => output: array<boolean, object[any: any], object[any: any]>`,
    fn: (a) => {
      // Any failure, of parsing or validation, is the result [false, {}, {}], never an error.
      try {
        const r = check('graphql.parse_and_verify', a[0], a[1]);
        return [true, fromJS(r.query), fromJS(r.schema)];
      } catch (e) {
        if (!(e instanceof BuiltinError)) throw e;
        return [false, new RObject(), new RObject()];
      }
    },
  },
  {
    name: 'graphql.is_valid',
    arity: 2,
    types: `(query: ${QUERY_OR_AST}, schema: ${QUERY_OR_AST}) => output: boolean`,
    fn: (a) => {
      try {
        check('graphql.is_valid', a[0], a[1]);
        return true;
      } catch (e) {
        if (!(e instanceof BuiltinError)) throw e;
        return false;
      }
    },
  },
  {
    name: 'graphql.schema_is_valid',
    arity: 1,
    types: `(schema: ${QUERY_OR_AST}) => output: boolean`,
    fn: (a) => {
      try {
        loadSchema(schemaOperand('graphql.schema_is_valid', a[0], 1));
        return true;
      } catch (e) {
        if (!(e instanceof BuiltinError) && !(e instanceof GraphQLSchemaError)) throw e;
        return false;
      }
    },
  },
];
