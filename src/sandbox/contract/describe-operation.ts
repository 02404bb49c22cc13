import type { Operation } from './build-router.ts';
import type { Violation } from './types.ts';

/** `POST /repos/{owner}/{repo}/pulls (pulls/create)` */
export function describeOperation(op: Operation): string {
  return `${op.method} ${op.template} (${op.operationId})`;
}

export function unknownEndpoint(method: string, path: string): Violation {
  const m = method.toUpperCase();
  return {
    kind: 'unknown-endpoint',
    where: `${m} ${path}`,
    message: `no operation in GitHub's OpenAPI description matches ${m} ${path} (GitHub answers 404)`,
  };
}

/** `application/json`, `application/scim+json`, `application/vnd.github.v3.star+json`, … */
export function isJsonMedia(mediaType: string): boolean {
  const base = mediaType.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}
