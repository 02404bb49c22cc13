import type { Ajv, ValidateFunction } from 'ajv';
import { createAjv, SPEC_ID } from './create-ajv.ts';
import { toRef, type Tokens } from './json-pointer.ts';
import type { OpenApiSpec } from './load-spec.ts';
import type { ParamDef } from './build-router.ts';

export interface CompileStats {
  compiled: number;
  compileMs: number;
  ajvInitMs: number;
}

/**
 * Lazily compiled validators, keyed by JSON pointer into the spec. Two Ajv instances share the parsed spec:
 * a strict one for bodies, responses and webhooks, and a coercing one for path/query parameters (created on
 * first use, since both cost ~100 ms to set up).
 */
export class SchemaCache {
  readonly stats: CompileStats = { compiled: 0, compileMs: 0, ajvInitMs: 0 };
  private strictAjv: Ajv | undefined;
  private coercingAjv: Ajv | undefined;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly inlineValidators = new WeakMap<object, ValidateFunction>();

  constructor(private readonly spec: OpenApiSpec) {}

  /** Validator for the schema at `tokens` (which must point at a schema object, not a response). */
  schema(tokens: Tokens): ValidateFunction {
    const ref = toRef(SPEC_ID, tokens);
    return this.compile(`strict ${ref}`, false, { $ref: ref });
  }

  /**
   * Validator for a schema object taken from the spec itself (e.g. one alternative of a `oneOf`, found through
   * an Ajv error's `parentSchema`). Its internal `#/...` refs are rewritten to point into the registered spec.
   */
  inline(schema: object): ValidateFunction {
    const hit = this.inlineValidators.get(schema);
    if (hit) return hit;
    const validate = this.compile(undefined, false, absolutizeRefs(schema) as object);
    this.inlineValidators.set(schema, validate);
    return validate;
  }

  /**
   * Coercing validator for an object holding the given parameters (values as strings or string arrays).
   * Only `required` and each parameter's schema are checked; unknown names are the caller's business.
   */
  params(key: string, params: readonly ParamDef[]): ValidateFunction {
    const properties: Record<string, object> = {};
    for (const p of params) properties[p.name] = { $ref: toRef(SPEC_ID, p.schemaTokens) };
    const required = params.filter((p) => p.required).map((p) => p.name);
    return this.compile(`params ${key}`, true, { type: 'object', properties, required });
  }

  private compile(key: string | undefined, coerce: boolean, schema: object): ValidateFunction {
    const hit = key === undefined ? undefined : this.validators.get(key);
    if (hit) return hit;
    const ajv = this.ajv(coerce);
    const t0 = performance.now();
    const validate = ajv.compile(schema);
    this.stats.compileMs += performance.now() - t0;
    this.stats.compiled++;
    if (key !== undefined) this.validators.set(key, validate);
    return validate;
  }

  private ajv(coerce: boolean): Ajv {
    const existing = coerce ? this.coercingAjv : this.strictAjv;
    if (existing) return existing;
    const t0 = performance.now();
    const created = createAjv(this.spec, { coerce });
    this.stats.ajvInitMs += performance.now() - t0;
    if (coerce) this.coercingAjv = created;
    else this.strictAjv = created;
    return created;
  }
}

/** Copy a schema, turning document-internal refs (`#/components/...`) into refs into the registered spec. */
function absolutizeRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(absolutizeRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${SPEC_ID}${value}` : absolutizeRefs(value);
  }
  return out;
}
