import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { OpenApiSpec } from './load-spec.ts';

/** The id under which the whole OpenAPI document is registered; refs look like `gh#/components/schemas/x`. */
export const SPEC_ID = 'gh';

/** Formats GitHub uses that are not JSON Schema formats; accepted without checking. */
const NOOP_FORMATS = ['int32', 'int64', 'double', 'repo.nwo', 'binary', 'timestamp'];

// ajv-formats is CommonJS with `exports.default`; under NodeNext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

/**
 * An Ajv instance with the whole spec registered once as `gh`, so internal `#/components/...` refs resolve.
 * `coerce` turns on type coercion (for path and query parameters, which arrive as strings).
 */
export function createAjv(spec: OpenApiSpec, opts: { coerce: boolean }): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    coerceTypes: opts.coerce ? 'array' : false,
    logger: false,
    // error.data and error.parentSchema feed the readable messages (describe-errors.ts).
    verbose: true,
  });
  addFormats(ajv);
  for (const name of [...NOOP_FORMATS, ...collectFormats(spec)]) {
    if (!(name in ajv.formats)) ajv.addFormat(name, true);
  }
  ajv.addSchema(spec as object, SPEC_ID);
  return ajv;
}

let formatNames: string[] | undefined;

/** Every `format` value that appears in the document (memoised: the spec object is shared per process). */
function collectFormats(spec: OpenApiSpec): string[] {
  if (formatNames) return formatNames;
  const found = new Set<string>();
  const stack: unknown[] = [spec.components, spec.paths, spec['x-webhooks']];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    const obj = node as Record<string, unknown>;
    if (typeof obj.format === 'string' && typeof obj.type !== 'undefined') found.add(obj.format);
    for (const value of Object.values(obj)) if (value !== null && typeof value === 'object') stack.push(value);
  }
  formatNames = [...found];
  return formatNames;
}
