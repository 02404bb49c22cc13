import { runValidator, type ContractContext } from './contract-context.ts';
import { describeOperation, isJsonMedia, unknownEndpoint } from './describe-operation.ts';
import { deref, getAt, type Tokens } from './json-pointer.ts';
import { isGenericStatus, isGitHubTextMedia, RAW_MEDIA_OPERATIONS } from './known-deviations.ts';
import type { Operation } from './build-router.ts';
import type { ResponseToCheck, Violation } from './types.ts';

const BASIC_ERROR: Tokens = ['components', 'schemas', 'basic-error'];

/**
 * Check one outgoing response against `responses[status]` (or `default`) of its operation.
 *
 * - Undocumented statuses are violations, except those GitHub sends on any operation (known-deviations.ts);
 *   those bodies are checked against `basic-error` and must carry a `message` (an empty 5xx body is fine).
 * - 204/304 bodies and HEAD bodies are ignored; so are bodies of responses that document no content.
 * - 304 is valid on every GET/HEAD, documented or not (GitHub answers any conditional GET with it), but only
 *   with an empty body.
 * - Raw bodies: a string or Buffer is accepted unvalidated when `contentType` is a documented non-JSON media
 *   type, or when the operation is served as raw media by GitHub (RAW_MEDIA_OPERATIONS) and `contentType`
 *   is absent or not JSON. Any other string is JSON-parsed and validated; unparsable text is a violation.
 */
export function checkResponse(ctx: ContractContext, r: ResponseToCheck): Violation[] {
  const hit = ctx.router.match(r.method, r.path);
  if (!hit) return r.status === 404 ? [] : [unknownEndpoint(r.method, r.path)];
  const op = hit.operation;
  const where = `${describeOperation(op)} response ${r.status}`;
  const fail = (messages: string[]): Violation[] => messages.map((message) => ({ kind: 'response', where, message }));
  const method = r.method.toUpperCase();
  const ignoreBody = method === 'HEAD' || r.status === 204 || r.status === 304;
  if (r.status === 304 && !isEmpty(r.body)) return fail(['a 304 Not Modified must have an empty body']);

  const statusKey = [String(r.status), `${String(r.status)[0]}XX`, 'default'].find(
    (k) => getAt(ctx.spec, [...op.tokens, 'responses', k]) !== undefined,
  );
  if (!statusKey) {
    if (!isGenericStatus(method, r.status)) {
      return fail([`status ${r.status} is not documented (documented: ${documentedStatuses(op).join(', ')})`]);
    }
    return ignoreBody ? [] : fail(checkGenericError(ctx, r, where));
  }
  if (ignoreBody) return [];

  const response = deref(ctx.spec, [...op.tokens, 'responses', statusKey]);
  const content = (response.value as { content?: Record<string, unknown> } | undefined)?.content ?? {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) return [];

  const raw = typeof r.body === 'string' || Buffer.isBuffer(r.body);
  const declared = r.contentType?.split(';')[0].trim().toLowerCase();
  if (raw && isRawAllowed(op, r.status, mediaTypes, declared)) return [];

  const media = pickJsonMedia(mediaTypes, declared);
  if (!media) {
    if (declared && !mediaTypes.includes(declared)) {
      return fail([`Content-Type ${declared} is not documented (documented: ${mediaTypes.join(', ')})`]);
    }
    return [];
  }
  const body = raw ? parseJson(r.body as string | Buffer) : { ok: true as const, value: r.body };
  if (!body.ok) return fail([`body is not JSON, but ${media} is documented`]);
  if (body.value === undefined) return fail([`body is empty, but ${media} is documented`]);
  const schemaTokens = [...response.tokens, 'content', media, 'schema'];
  if (getAt(ctx.spec, schemaTokens) === undefined) return [];
  return fail(runValidator(ctx, ctx.cache.schema(schemaTokens), body.value, 'body', where));
}

function isRawAllowed(op: Operation, status: number, mediaTypes: string[], declared: string | undefined): boolean {
  const rawOperation = RAW_MEDIA_OPERATIONS.has(op.operationId) && status < 300;
  if (declared !== undefined) {
    if (mediaTypes.includes(declared) && !isJsonMedia(declared)) return true;
    return rawOperation && (!isJsonMedia(declared) || isGitHubTextMedia(declared));
  }
  if (rawOperation) return true;
  return mediaTypes.length > 0 && mediaTypes.every((m) => !isJsonMedia(m));
}

/** The documented JSON media type to validate against: the declared one if documented, else the first JSON one. */
function pickJsonMedia(mediaTypes: string[], declared: string | undefined): string | undefined {
  if (declared && mediaTypes.includes(declared) && isJsonMedia(declared)) return declared;
  if (declared && !isJsonMedia(declared)) return undefined;
  return mediaTypes.includes('application/json') ? 'application/json' : mediaTypes.find(isJsonMedia);
}

function checkGenericError(ctx: ContractContext, r: ResponseToCheck, where: string): string[] {
  const parsed = typeof r.body === 'string' || Buffer.isBuffer(r.body) ? parseJson(r.body) : { ok: true as const, value: r.body };
  const empty = !parsed.ok ? false : parsed.value === undefined || parsed.value === null;
  if (r.status >= 500 && empty) return [];
  if (!parsed.ok || parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return [`an undocumented ${r.status} must carry GitHub's error body {message, documentation_url}`];
  }
  const messages = runValidator(ctx, ctx.cache.schema(BASIC_ERROR), parsed.value, 'body', where);
  if (typeof (parsed.value as { message?: unknown }).message !== 'string') {
    messages.push(`body must have required property 'message' (GitHub's error body)`);
  }
  return messages;
}

function isEmpty(body: unknown): boolean {
  if (body === undefined || body === null) return true;
  return (typeof body === 'string' || Buffer.isBuffer(body)) && body.length === 0;
}

function parseJson(raw: string | Buffer): { ok: true; value: unknown } | { ok: false } {
  const text = raw.toString();
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function documentedStatuses(op: Operation): string[] {
  return Object.keys((op.op.responses as Record<string, unknown> | undefined) ?? {});
}
