import type { ParamDef, RouteHit } from './build-router.ts';
import { runValidator, type ContractContext } from './contract-context.ts';
import { deref, getAt } from './json-pointer.ts';
import { describeOperation, isJsonMedia, unknownEndpoint } from './describe-operation.ts';
import type { RequestToCheck, Violation } from './types.ts';

/**
 * Check one incoming request: the operation exists, path and query parameters match their schemas (with
 * string coercion, as they arrive), no undocumented query parameter is sent, and a JSON body matches the
 * requestBody schema (without coercion). An absent body counts as `{}` when the operation requires one.
 */
export function checkRequest(ctx: ContractContext, r: RequestToCheck): Violation[] {
  const hit = ctx.router.match(r.method, r.path);
  if (!hit) return [unknownEndpoint(r.method, r.path)];
  const where = `${describeOperation(hit.operation)} request`;
  const messages = [...checkPathParams(ctx, hit, where), ...checkQuery(ctx, hit, r.query, where), ...checkBody(ctx, hit, r.body, where)];
  return messages.map((message) => ({ kind: 'request', where, message }));
}

function checkPathParams(ctx: ContractContext, hit: RouteHit, where: string): string[] {
  const defs = hit.operation.params.filter((p) => p.in === 'path');
  if (defs.length === 0) return [];
  const validate = ctx.cache.params(`${hit.operation.tokens.join(' ')} path`, defs);
  return runValidator(ctx, validate, { ...hit.params }, 'path', where).map(paramStyle('path'));
}

function checkQuery(ctx: ContractContext, hit: RouteHit, query: URLSearchParams, where: string): string[] {
  const defs = hit.operation.params.filter((p) => p.in === 'query');
  const byName = new Map<string, ParamDef>(defs.map((p) => [p.name, p]));
  const messages: string[] = [];
  const values: Record<string, string | string[]> = {};
  for (const rawName of new Set(query.keys())) {
    const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
    const def = byName.get(name);
    if (!def) {
      messages.push(`query parameter '${rawName}' is not documented for this operation`);
      continue;
    }
    const all = query.getAll(rawName);
    values[name] = isArraySchema(def) ? all.flatMap((v) => v.split(',')) : all[all.length - 1];
  }
  if (defs.length > 0) {
    const validate = ctx.cache.params(`${hit.operation.tokens.join(' ')} query`, defs);
    messages.push(...runValidator(ctx, validate, values, 'query', where).map(paramStyle('query')));
  }
  return messages;
}

function checkBody(ctx: ContractContext, hit: RouteHit, body: unknown, where: string): string[] {
  const absent = isAbsent(body);
  const requestBody = deref(ctx.spec, [...hit.operation.tokens, 'requestBody']);
  const rb = requestBody.value as { required?: boolean; content?: Record<string, unknown> } | undefined;
  if (!rb) return absent ? [] : ['a request body was sent, but this operation takes none'];
  const media = Object.keys(rb.content ?? {}).find(isJsonMedia);
  if (!media) return []; // text/plain, octet-stream, … bodies are not JSON-checked
  if (absent && rb.required !== true) return [];
  let data = absent ? {} : body;
  if (typeof data === 'string' || Buffer.isBuffer(data)) {
    try {
      data = JSON.parse(data.toString());
    } catch {
      return ['request body is not valid JSON'];
    }
  }
  const schemaTokens = [...requestBody.tokens, 'content', media, 'schema'];
  if (getAt(ctx.spec, schemaTokens) === undefined) return [];
  return runValidator(ctx, ctx.cache.schema(schemaTokens), data, 'body', where);
}

function isAbsent(body: unknown): boolean {
  if (body === undefined || body === null || body === '') return true;
  if (Buffer.isBuffer(body)) return body.length === 0;
  return typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0;
}

function isArraySchema(def: ParamDef): boolean {
  const type = def.schema.type;
  return type === 'array' || (Array.isArray(type) && type.includes('array'));
}

/** `query/per_page must be integer` → `query parameter per_page must be integer`. */
function paramStyle(kind: 'path' | 'query'): (message: string) => string {
  return (message) => message.replace(new RegExp(`^${kind}/([^/ ]+)`), `${kind} parameter $1`);
}
