/**
 * GraphQL errors as GitHub answers them (always HTTP 200, an `errors` array):
 * - static validation (graphql-ruby's wording): `{message, locations, path, extensions: {code, …}}`, e.g.
 *   `Field 'foo' doesn't exist on type 'Repository'` with `code: 'undefinedField'` and a path from the
 *   operation (`["query", "repository", "foo"]`);
 * - execution: `{type, path, locations, message}` with `type` NOT_FOUND, FORBIDDEN, UNPROCESSABLE, …, beside
 *   `data` in which the failed field is null.
 * Rules GitHub's wording is not known for keep graphql-js's message in the same shape (README, GraphQL).
 */
import { BREAK, GraphQLError, visit, type ASTNode, type DocumentNode } from 'graphql';

export type GitHubErrorType = 'NOT_FOUND' | 'FORBIDDEN' | 'UNPROCESSABLE' | 'INTERNAL';

/** Thrown by resolvers: becomes `{type, path, locations, message}`. */
export class GitHubGraphqlError extends Error {
  constructor(
    readonly type: GitHubErrorType,
    message: string,
  ) {
    super(message);
  }
}

export interface WireError {
  message: string;
  type?: string;
  path?: Array<string | number>;
  locations?: Array<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
}

const TRANSLATIONS: Array<{ re: RegExp; to(m: RegExpExecArray): { message: string; extensions: Record<string, unknown> } }> = [
  {
    re: /^Cannot query field "([^"]+)" on type "([^"]+)"\./,
    to: (m) => ({ message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, extensions: { code: 'undefinedField', typeName: m[2], fieldName: m[1] } }),
  },
  {
    re: /^Unknown argument "([^"]+)" on field "[^".]+\.([^"]+)"\./,
    to: (m) => ({ message: `Field '${m[2]}' doesn't accept argument '${m[1]}'`, extensions: { code: 'argumentNotAccepted', name: m[2], typeName: 'Field', argumentName: m[1] } }),
  },
  {
    re: /^Field "[^".]+\.([^"]+)" argument "([^"]+)" of type "[^"]+" is required, but it was not provided\./,
    to: (m) => ({ message: `Field '${m[1]}' is missing required arguments: ${m[2]}`, extensions: { code: 'missingRequiredArguments', className: 'Field', name: m[1], arguments: m[2] } }),
  },
  {
    re: /^Variable "\$([^"]+)" is never used/,
    to: (m) => ({ message: `Variable $${m[1]} is declared by anonymous query but not used`, extensions: { code: 'variableNotUsed', variableName: m[1] } }),
  },
];

/** A static (parse or validation) error in GitHub's shape. */
export function staticError(err: GraphQLError, document: DocumentNode | null): WireError {
  const out: WireError = { message: err.message };
  const hit = TRANSLATIONS.map((t) => ({ t, m: t.re.exec(err.message) })).find((x) => x.m !== null);
  if (hit?.m) Object.assign(out, hit.t.to(hit.m));
  const node = err.nodes?.[0];
  const path = document && node ? staticPath(document, node) : null;
  if (path) out.path = path;
  if (err.locations?.length) out.locations = err.locations.map((l) => ({ line: l.line, column: l.column }));
  return out;
}

/** graphql-ruby's static path: the operation (`query`, `mutation Name`), then field, fragment and argument names. */
function staticPath(document: DocumentNode, target: ASTNode): string[] | null {
  let found: readonly unknown[] | null = null;
  visit(document, {
    enter(node, _key, _parent, _path, ancestors) {
      if (node !== target) return undefined;
      found = [...ancestors, node];
      return BREAK;
    },
  });
  if (!found) return null;
  const names: string[] = [];
  for (const n of found as unknown[]) {
    if (!n || typeof n !== 'object' || !('kind' in n)) continue;
    const node = n as ASTNode;
    switch (node.kind) {
      case 'OperationDefinition':
        names.push(node.name ? `${node.operation} ${node.name.value}` : node.operation);
        break;
      case 'FragmentDefinition':
        names.push(`fragment ${node.name.value}`);
        break;
      case 'InlineFragment':
        names.push(node.typeCondition ? `... on ${node.typeCondition.name.value}` : '...');
        break;
      case 'Field':
        names.push(node.name.value);
        break;
      case 'Argument':
      case 'ObjectField':
        names.push(node.name.value);
        break;
      default:
        break;
    }
  }
  return names;
}

/** An execution error in GitHub's shape; errors the sandbox did not mean get GitHub's generic message. */
export function executionError(err: GraphQLError, onUnexpected: (err: unknown) => void): WireError {
  const original = err.originalError;
  const out: WireError = { message: err.message };
  if (original instanceof GitHubGraphqlError) {
    out.type = original.type;
  } else if (original && !(original instanceof GraphQLError)) {
    onUnexpected(original);
    out.message = 'Something went wrong while executing your query. Please include the request id when reporting this issue.';
  }
  if (err.path) out.path = [...err.path];
  if (err.locations?.length) out.locations = err.locations.map((l) => ({ line: l.line, column: l.column }));
  return out;
}
