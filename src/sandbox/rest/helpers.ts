/** Small helpers shared by REST handlers: params, body fields, pagination results. */
import type { SandboxContext } from '../context.ts';
import { requireRepo, type AccessNeed } from '../auth/access.ts';
import { HttpError, notFound, validationFailed } from '../http/http-error.ts';
import { paginate } from '../http/paginate.ts';
import type { RestRequest, RestResult } from '../http/rest-types.ts';
import type { RepoState } from '../state/model.ts';

export function repoFor(ctx: SandboxContext, req: RestRequest, need: AccessNeed = {}): RepoState {
  return requireRepo(ctx, req.actor, req.params.owner, req.params.repo, need);
}

export function intParam(req: RestRequest, name: string): number {
  const raw = req.params[name];
  if (!/^\d+$/.test(raw ?? '')) throw notFound();
  return Number(raw);
}

export function bodyOf(req: RestRequest): Record<string, unknown> {
  if (req.body === undefined || req.body === null) return {};
  if (typeof req.body !== 'object' || Array.isArray(req.body)) throw new HttpError(400, 'Problems parsing JSON');
  return req.body as Record<string, unknown>;
}

export function optString(body: Record<string, unknown>, field: string, resource: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw validationFailed([{ resource, field, code: 'invalid' }], `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a string.`);
  return v;
}

export function reqString(body: Record<string, unknown>, field: string, resource: string): string {
  const v = optString(body, field, resource);
  if (v === undefined) throw validationFailed([{ resource, field, code: 'missing_field' }], `Invalid request.\n\n"${field}" wasn't supplied.`);
  return v;
}

export function optBool(body: Record<string, unknown>, field: string, resource: string): boolean | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw validationFailed([{ resource, field, code: 'invalid' }], `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not a boolean.`);
  return v;
}

export function optStringArray(body: Record<string, unknown>, field: string, resource: string): string[] | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw validationFailed([{ resource, field, code: 'invalid' }], `Invalid request.\n\nFor '${field}', ${JSON.stringify(v)} is not an array of strings.`);
  return v as string[];
}

export function listResult<T>(req: RestRequest, all: readonly T[], map: (x: T) => unknown): RestResult {
  const page = paginate(all, req.url);
  return { status: 200, body: page.items.map(map), headers: page.link ? { link: page.link } : undefined };
}

/** For `{total_count, <key>: [...]}` envelopes. */
export function envelopeResult<T>(req: RestRequest, key: string, all: readonly T[], map: (x: T) => unknown): RestResult {
  const page = paginate(all, req.url);
  return { status: 200, body: { total_count: all.length, [key]: page.items.map(map) }, headers: page.link ? { link: page.link } : undefined };
}
