/**
 * `POST /graphql` (GitHub Enterprise Server: `/api/graphql`), mounted on the REST pipeline so faults, auth,
 * rate limits, request statistics and the request hook apply to it as to REST. Its body is checked against
 * GitHub's GraphQL schema (execute.ts), not the OpenAPI description (`contract: 'graphql'`).
 */
import type { SandboxContext } from '../context.ts';
import { HttpError } from '../http/http-error.ts';
import { ok, type RestRequest, type RouteDef } from '../http/rest-types.ts';
import { runGraphql } from './execute.ts';

const GRAPHQL_DOCS = 'https://docs.github.com/graphql';

async function handleGraphql(ctx: SandboxContext, req: RestRequest) {
  if (req.actor.kind === 'anonymous') throw new HttpError(401, 'This endpoint requires you to be authenticated.', { documentationUrl: `${GRAPHQL_DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql` });
  if (req.actor.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration', { documentationUrl: GRAPHQL_DOCS });
  const body = req.body;
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  if (typeof fields.query !== 'string') {
    return ok({ errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
  }
  const variables = fields.variables ?? null;
  if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return ok({ errors: [{ message: 'Variables are invalid JSON.' }] });
  }
  const operationName = typeof fields.operationName === 'string' ? fields.operationName : null;
  return ok(await runGraphql(ctx, req.actor, { query: fields.query, variables: variables as Record<string, unknown> | null, operationName }));
}

export const graphqlRoutes: RouteDef[] = [{ method: 'POST', pattern: '/graphql', contract: 'graphql', handler: handleGraphql }];
