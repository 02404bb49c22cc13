import { deref, type Tokens } from './json-pointer.ts';
import type { OpenApiSpec } from './load-spec.ts';

export interface ParamDef {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** Pointer (raw tokens) to the parameter's `schema` in the spec. */
  schemaTokens: Tokens;
  schema: Record<string, unknown>;
  /** `x-multi-segment: true`: a path param that may contain `/` (contents path, refs, branches). */
  multiSegment: boolean;
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  /** Pointer (raw tokens) to the operation object. */
  tokens: Tokens;
  op: Record<string, unknown>;
  params: ParamDef[];
}

export interface RouteHit {
  operation: Operation;
  params: Record<string, string>;
}

export interface Router {
  match(method: string, path: string): RouteHit | null;
  find(method: string, template: string): Operation | undefined;
  operations(): Iterable<Operation>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface CompiledRoute {
  operation: Operation;
  regex: RegExp;
  names: string[];
  segments: Array<'literal' | 'param' | 'multi'>;
}

/**
 * Route a concrete request path to an operation of the spec.
 * `{param}` matches one segment, `x-multi-segment` params match one or more (lazily); routes with more
 * literal segments win, so `/pulls/comments` beats `/pulls/{pull_number}` and `/commits/{ref}/check-runs`
 * beats `/commits/{ref}`. Matching happens on the raw (still percent-encoded) path; captures are decoded.
 */
export function buildRouter(spec: OpenApiSpec): Router {
  // Bucketed by method and first path segment (every GitHub template starts with a literal one).
  const byMethod = new Map<string, CompiledRoute[]>();
  const byTemplate = new Map<string, Operation>();
  for (const [template, item] of Object.entries(spec.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      const operation = describeOperation(spec, template, method, op);
      byTemplate.set(`${method} ${template}`, operation);
      const key = bucketKey(method, template);
      const list = byMethod.get(key) ?? [];
      list.push(compileRoute(operation));
      byMethod.set(key, list);
    }
  }
  for (const list of byMethod.values()) list.sort(compareSpecificity);

  return {
    match(method, path) {
      const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
      const candidates = [...(byMethod.get(bucketKey(m, path)) ?? []), ...(byMethod.get(`${m} {}`) ?? [])];
      for (const route of candidates) {
        const found = route.regex.exec(path);
        if (!found) continue;
        const params: Record<string, string> = {};
        let ok = true;
        route.names.forEach((name, i) => {
          try {
            params[name] = decodeURIComponent(found[i + 1] ?? '');
          } catch {
            ok = false;
          }
        });
        if (ok) return { operation: route.operation, params };
      }
      return null;
    },
    find(method, template) {
      return byTemplate.get(`${method.toLowerCase()} ${template}`);
    },
    operations() {
      return byTemplate.values();
    },
  };
}

function describeOperation(spec: OpenApiSpec, template: string, method: string, op: Record<string, unknown>): Operation {
  const tokens = ['paths', template, method];
  const params: ParamDef[] = [];
  const list = Array.isArray(op.parameters) ? op.parameters : [];
  list.forEach((_, i) => {
    const resolved = deref(spec, [...tokens, 'parameters', String(i)]);
    const p = resolved.value as Record<string, unknown>;
    params.push({
      name: String(p.name),
      in: p.in as ParamDef['in'],
      required: p.required === true,
      schemaTokens: [...resolved.tokens, 'schema'],
      schema: (p.schema as Record<string, unknown> | undefined) ?? {},
      multiSegment: p['x-multi-segment'] === true,
    });
  });
  const operationId = typeof op.operationId === 'string' ? op.operationId : `${method} ${template}`;
  return { method: method.toUpperCase(), template, operationId, tokens, op, params };
}

function bucketKey(method: string, path: string): string {
  const first = path.split('/')[1] ?? '';
  return `${method} ${first.includes('{') ? '{}' : first}`;
}

const ROOT_LISTING_TEMPLATE = '/repos/{owner}/{repo}/contents/{path}';

function compileRoute(operation: Operation): CompiledRoute {
  const names: string[] = [];
  const segments: CompiledRoute['segments'] = [];
  const multi = new Set(operation.params.filter((p) => p.in === 'path' && p.multiSegment).map((p) => p.name));
  const parts = operation.template.split('/').slice(1);
  const source = parts
    .map((part) => {
      const whole = /^\{([^}]+)\}$/.exec(part);
      if (whole) {
        names.push(whole[1]);
        const isMulti = multi.has(whole[1]);
        segments.push(isMulti ? 'multi' : 'param');
        return isMulti ? '(.+?)' : '([^/]+)';
      }
      segments.push(part.includes('{') ? 'param' : 'literal');
      // A segment mixing text and params, e.g. `{base}...{head}` (not in api.github.com today).
      return part.replace(/\{([^}]+)\}|([^{]+)/g, (_m, name: string | undefined, text: string | undefined) => {
        if (name) {
          names.push(name);
          return '([^/]+?)';
        }
        return escapeRegex(text ?? '');
      });
    })
    .join('/');
  // GitHub lists the root directory at `/contents` (no path): the one template whose trailing path may be empty.
  if (operation.template === ROOT_LISTING_TEMPLATE) return { operation, regex: new RegExp(`^/${source.replace(/\/\(\.\+\?\)$/, '(?:/(.+?))?')}/?$`), names, segments };
  return { operation, regex: new RegExp(`^/${source}$`), names, segments };
}

function compareSpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const literals = (r: CompiledRoute) => r.segments.filter((s) => s === 'literal').length;
  const diff = literals(b) - literals(a);
  if (diff !== 0) return diff;
  const n = Math.min(a.segments.length, b.segments.length);
  const rank = { literal: 0, param: 1, multi: 2 } as const;
  for (let i = 0; i < n; i++) {
    const d = rank[a.segments[i]] - rank[b.segments[i]];
    if (d !== 0) return d;
  }
  return b.segments.length - a.segments.length;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
