/**
 * One GraphQL request: parse, validate against GitHub's published schema, execute with the sandbox's
 * resolvers, and answer in GitHub's shape (HTTP 200 with `data` and/or `errors`). In strict mode a document
 * the schema rejects, or a field the sandbox does not implement, is recorded as a violation (a test failure),
 * exactly as an undocumented REST request is.
 */
import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type GraphQLFieldResolver } from 'graphql';
import type { SandboxContext } from '../context.ts';
import type { Actor } from '../http/rest-types.ts';
import { executionError, staticError, type WireError } from './errors.ts';
import { rootValue, type GraphqlContext } from './resolvers.ts';
import { githubSchema } from './schema.ts';

export interface GraphqlRequest {
  readonly query: string;
  readonly variables: Record<string, unknown> | null;
  readonly operationName: string | null;
}

export interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: WireError[];
}

const WHERE = 'POST /graphql';

/** Reads a property of the parent object; a field the sandbox does not build is an error and a violation. */
function fieldResolverFor(ctx: SandboxContext): GraphQLFieldResolver<unknown, GraphqlContext> {
  return (source, args, context, info) => {
    if (source !== null && typeof source === 'object' && info.fieldName in source) {
      const value = (source as Record<string, unknown>)[info.fieldName];
      return typeof value === 'function' ? (value as (a: unknown, c: unknown, i: unknown) => unknown)(args, context, info) : value;
    }
    const field = `${info.parentType.name}.${info.fieldName}`;
    ctx.recordViolations([{ kind: 'unknown-endpoint', where: `${WHERE} ${field}`, message: 'GraphQL field not implemented by the sandbox' }]);
    throw new GraphQLError(`The sandbox does not implement ${field}.`);
  };
}

/**
 * Documents parsed and validated, by their text: a client sends the same few queries again and again (GitHub
 * keeps such work too), and parsing and validating one against GitHub's schema costs the sandbox's thread
 * milliseconds per request. Bounded; the oldest goes first.
 */
const checkedDocuments = new Map<string, { document: DocumentNode; invalid: readonly GraphQLError[] }>();
const MAX_CHECKED_DOCUMENTS = 256;

async function checkedDocument(query: string): Promise<{ document: DocumentNode; invalid: readonly GraphQLError[] }> {
  const known = checkedDocuments.get(query);
  if (known) return known;
  const document = parse(query);
  const checked = { document, invalid: validate(await githubSchema(), document) };
  if (checkedDocuments.size >= MAX_CHECKED_DOCUMENTS) checkedDocuments.delete(checkedDocuments.keys().next().value as string);
  checkedDocuments.set(query, checked);
  return checked;
}

export async function runGraphql(ctx: SandboxContext, actor: Actor, req: GraphqlRequest): Promise<GraphqlResponse> {
  const schema = await githubSchema();
  let checked: { document: DocumentNode; invalid: readonly GraphQLError[] };
  try {
    checked = await checkedDocument(req.query);
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    return rejected(ctx, [staticError(err, null)]);
  }
  const { document, invalid } = checked;
  if (invalid.length) return rejected(ctx, invalid.map((e) => staticError(e, document)));
  const op = getOperationAST(document, req.operationName);
  if (op) {
    const key = `${op.operation} ${op.name?.value ?? '(anonymous)'}`;
    ctx.graphqlOperations.set(key, (ctx.graphqlOperations.get(key) ?? 0) + 1);
  }
  const result = await execute({
    schema,
    document,
    rootValue: rootValue(),
    contextValue: { ctx, actor } satisfies GraphqlContext,
    variableValues: req.variables,
    operationName: req.operationName,
    fieldResolver: fieldResolverFor(ctx),
    typeResolver: (value) => (value as { __typename?: string }).__typename,
  });
  // No `data` at all: the variables or the operation name did not fit the document (a request error).
  if (!('data' in result) || result.data === undefined) return rejected(ctx, (result.errors ?? []).map((e) => staticError(e, document)));
  const out: GraphqlResponse = { data: result.data as Record<string, unknown> | null };
  if (result.errors?.length) {
    out.errors = result.errors.map((e) =>
      executionError(e, (cause) => process.emitWarning(`sandbox: GraphQL resolver failed: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}`)),
    );
  }
  return out;
}

function rejected(ctx: SandboxContext, errors: WireError[]): GraphqlResponse {
  if (ctx.checker) ctx.recordViolations(errors.map((e) => ({ kind: 'request', where: WHERE, message: `rejected by GitHub's GraphQL schema: ${e.message}` })));
  return { errors };
}
