/**
 * Rewrite OpenAPI 3.0 `nullable: true` into plain JSON Schema, in place, so Ajv never sees `nullable`.
 *
 * - `{type: T, nullable: true, ...}` (no combinator) → `{type: [T, 'null'], ...}`, and `null` joins any `enum`.
 * - `nullable` next to `allOf`/`oneOf`/`anyOf`/`$ref` (with or without `type`) → `{anyOf: [rest, {type: 'null'}]}`,
 *   because adding `null` to `type` would still fail the combinator for a null value.
 *
 * Walks every object in the document (including `properties` maps whose keys may be named `nullable`),
 * but only rewrites a node when `nullable` is the boolean `true` or `false` (false is simply dropped).
 * Returns the number of rewritten nodes.
 */
export function normalizeNullable(root: unknown): number {
  let rewritten = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const obj = node as Record<string, unknown>;
    if (typeof obj.nullable === 'boolean') {
      rewriteNode(obj);
      rewritten++;
    }
    for (const value of Object.values(obj)) {
      if (value !== null && typeof value === 'object') stack.push(value);
    }
  }
  return rewritten;
}

const COMBINATORS = ['allOf', 'oneOf', 'anyOf', '$ref', 'not'] as const;
/** Keywords that describe rather than constrain; they stay on the outer node when wrapping in anyOf. */
const ANNOTATIONS = ['title', 'description', 'example', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'default'];

function rewriteNode(obj: Record<string, unknown>): void {
  const nullable = obj.nullable === true;
  delete obj.nullable;
  if (!nullable) return;
  const hasCombinator = COMBINATORS.some((k) => k in obj);
  if (!hasCombinator && obj.type !== undefined) {
    const types = Array.isArray(obj.type) ? [...(obj.type as unknown[])] : [obj.type];
    if (!types.includes('null')) types.push('null');
    obj.type = types;
    if (Array.isArray(obj.enum) && !obj.enum.includes(null)) obj.enum = [...obj.enum, null];
    return;
  }
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (ANNOTATIONS.includes(key)) continue;
    rest[key] = value;
    delete obj[key];
  }
  obj.anyOf = [rest, { type: 'null' }];
}
