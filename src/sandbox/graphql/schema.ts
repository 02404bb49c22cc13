/**
 * GitHub's published GraphQL schema (npm `@octokit/graphql-schema`), built once per process with `graphql`.
 * Loaded on the first GraphQL request (~200 ms), so sandboxes that never see one do not pay for it.
 */
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let loading: Promise<GraphQLSchema> | null = null;

export function githubSchema(): Promise<GraphQLSchema> {
  loading ??= import('@octokit/graphql-schema').then((m) => {
    const json = m.schema.json as unknown as { data?: IntrospectionQuery } & Partial<IntrospectionQuery>;
    return buildClientSchema((json.data ?? json) as IntrospectionQuery);
  });
  return loading;
}
