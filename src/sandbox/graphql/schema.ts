/**
 * GitHub's published GraphQL schema (npm `@octokit/graphql-schema`), built once per process with `graphql`.
 * Loaded on the first GraphQL request (~200 ms), so sandboxes that never see one do not pay for it.
 */
import { assertValidSchema, buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let loading: Promise<GraphQLSchema> | null = null;

export function githubSchema(): Promise<GraphQLSchema> {
  loading ??= import('@octokit/graphql-schema').then((m) => {
    const json = m.schema.json as unknown as { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
    const schema = buildClientSchema((json.data ?? json) as IntrospectionQuery);
    // The schema's own check, which graphql-js runs (and keeps) at the first validation of a query: done here,
    // it is part of loading, not of the first request.
    assertValidSchema(schema);
    return schema;
  });
  return loading;
}
