import type { ErrorObject } from 'ajv';
import type { SchemaCache } from './schema-cache.ts';

const MAX_MESSAGES = 25;

/**
 * Turn Ajv errors into readable one-line messages, e.g. `body/merge_method must be equal to one of the
 * allowed values: merge, squash, rebase`. A failed `oneOf`/`anyOf` would otherwise list the errors of every
 * alternative; it is reported as one line plus the errors of the closest alternative (fewest errors), found
 * by re-validating the value against each alternative. `label` names the root (`body`, `payload`, …).
 */
export function describeErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  label: string,
  cache: SchemaCache,
): string[] {
  const lines = prune(errors, data, cache, 0).map((e) => formatError(e, label));
  const unique = [...new Set(lines)];
  if (unique.length <= MAX_MESSAGES) return unique;
  return [...unique.slice(0, MAX_MESSAGES), `… and ${unique.length - MAX_MESSAGES} more`];
}

interface Described extends ErrorObject {
  /** Set on the synthetic line that summarises a pruned combinator. */
  note?: string;
}

function prune(errors: readonly ErrorObject[], root: unknown, cache: SchemaCache, depth: number): Described[] {
  const out: Described[] = [];
  let k = errors.length - 1;
  while (k >= 0) {
    const e = errors[k];
    const replaced = depth < 4 && (e.keyword === 'oneOf' || e.keyword === 'anyOf') ? explain(errors, k, root, cache, depth) : null;
    if (replaced) {
      out.unshift(...replaced.lines);
      k = replaced.start - 1;
    } else {
      out.unshift(e);
      k--;
    }
  }
  return out;
}

function explain(
  errors: readonly ErrorObject[],
  k: number,
  root: unknown,
  cache: SchemaCache,
  depth: number,
): { start: number; lines: Described[] } | null {
  const e = errors[k];
  const list = (e.parentSchema as Record<string, unknown> | undefined)?.[e.keyword];
  if (!Array.isArray(list) || list.length === 0) return null;
  const alternatives = list.length;
  const value = valueAt(root, e.instancePath);
  const branches: Branch[] = [];
  for (let i = 0; i < alternatives; i++) {
    const validate = cache.inline(list[i] as object);
    validate(value);
    branches.push({ index: i, errors: [...(validate.errors ?? [])] });
  }
  const total = branches.reduce((n, b) => n + b.errors.length, 0);
  const start = k - total;
  if (start < 0) return null;
  for (let j = start; j < k; j++) if (!isWithin(errors[j].instancePath, e.instancePath)) return null;
  const failing = branches.filter((b) => b.errors.length > 0);
  if (failing.length < alternatives) {
    // oneOf matched several alternatives: nothing more specific to say.
    return { start, lines: [{ ...e, note: `must match exactly one alternative of ${e.keyword}, but matches several` }] };
  }
  const rootTypes = failing.map((b) => b.errors.find((x) => x.instancePath === '' && x.keyword === 'type'));
  if (rootTypes.every((x) => x !== undefined)) {
    const types = [...new Set(rootTypes.map((x) => String((x.params as { type: unknown }).type)))];
    return { start, lines: [{ ...e, note: `must be ${types.join(' or ')} (got ${JSON.stringify(preview(value))})` }] };
  }
  const best = discriminated(e, list, value, failing) ?? failing.reduce((a, b) => (score(b) < score(a) ? b : a));
  const name = alternativeName(e, best.index);
  const header: Described[] =
    // One alternative, or `nullable` rewritten as anyOf [schema, {type: 'null'}]: the inner errors say it all.
    list.filter((alt) => (alt as { type?: unknown }).type !== 'null').length === 1 ? [] : [{ ...e, note: `must match one of ${alternatives} alternatives (${e.keyword}); closest is ${name}:` }];
  const inner = prune(best.errors, value, cache, depth + 1).map((x) => ({
    ...x,
    instancePath: e.instancePath + x.instancePath,
  }));
  return { start, lines: [...header, ...inner] };
}

interface Branch {
  index: number;
  errors: ErrorObject[];
}

/** Fewest errors wins, but an alternative of the wrong type altogether (root `type` error) comes last. */
function score(b: Branch): number {
  const wrongType = b.errors.some((x) => x.instancePath === '' && x.keyword === 'type');
  return b.errors.length + (wrongType ? 1_000_000 : 0);
}

/** With an OpenAPI `discriminator` whose property the value carries, the alternative it maps to is the one. */
function discriminated(e: ErrorObject, list: unknown[], value: unknown, failing: Branch[]): Branch | undefined {
  const d = (e.parentSchema as { discriminator?: { propertyName?: string; mapping?: Record<string, string> } }).discriminator;
  if (!d?.propertyName || !d.mapping || value === null || typeof value !== 'object') return undefined;
  const tag = (value as Record<string, unknown>)[d.propertyName];
  const target = typeof tag === 'string' ? d.mapping[tag] : undefined;
  if (!target) return undefined;
  const index = list.findIndex((alt) => {
    const ref = (alt as { $ref?: unknown }).$ref;
    return typeof ref === 'string' && ref.endsWith(target.replace(/^#/, ''));
  });
  return failing.find((b) => b.index === index);
}

function alternativeName(e: ErrorObject, index: number): string {
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const alt = (parent?.[e.keyword] as Array<Record<string, unknown>> | undefined)?.[index];
  if (typeof alt?.$ref === 'string') return `'${alt.$ref.split('/').pop()}'`;
  if (typeof alt?.title === 'string') return `'${alt.title}'`;
  return `alternative #${index + 1}`;
}

function isWithin(path: string, prefix: string): boolean {
  return prefix === '' || path === prefix || path.startsWith(`${prefix}/`);
}

function valueAt(root: unknown, instancePath: string): unknown {
  if (instancePath === '') return root;
  let node: unknown = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function formatError(e: Described, label: string): string {
  const where = `${label}${e.instancePath}`;
  if (e.note) return `${where} ${e.note}`;
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'enum':
      return `${where} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (got ${JSON.stringify(valueOf(e))})`;
    case 'additionalProperties':
      return `${where} must NOT have additional property '${String(params.additionalProperty)}'`;
    case 'type':
    case 'format':
    case 'pattern':
    case 'const':
      return `${where} ${e.message ?? e.keyword} (got ${JSON.stringify(valueOf(e))})`;
    default:
      return `${where} ${e.message ?? e.keyword}`;
  }
}

function valueOf(e: ErrorObject): unknown {
  return preview(e.data);
}

function preview(v: unknown): unknown {
  if (typeof v === 'string' && v.length > 60) return `${v.slice(0, 57)}...`;
  if (v !== null && typeof v === 'object') return Array.isArray(v) ? '[array]' : '[object]';
  return v;
}
