/**
 * JSON pointers into the registered spec. Tokens are kept raw (e.g. `/repos/{owner}/{repo}`) and only
 * escaped (`~0`, `~1`) and URI-encoded when turned into a `$ref` for Ajv.
 */
export type Tokens = readonly string[];

export function toRef(documentId: string, tokens: Tokens): string {
  return `${documentId}#/${tokens.map((t) => encodeURIComponent(t.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;
}

/** Parse an internal ref such as `#/components/responses/not_found` into raw tokens. */
export function refToTokens(ref: string): string[] {
  if (!ref.startsWith('#/')) throw new Error(`only internal refs are supported, got ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((t) => safeDecode(t).replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function getAt(root: unknown, tokens: Tokens): unknown {
  let node: unknown = root;
  for (const token of tokens) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Follow `$ref` chains (by hand, for OpenAPI objects that are not schemas: responses, parameters). */
export function deref(root: unknown, tokens: Tokens): { tokens: Tokens; value: unknown } {
  let current: { tokens: Tokens; value: unknown } = { tokens, value: getAt(root, tokens) };
  for (let hops = 0; hops < 10; hops++) {
    const ref = (current.value as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string') return current;
    const next = refToTokens(ref);
    current = { tokens: next, value: getAt(root, next) };
  }
  throw new Error(`$ref chain too long at #/${tokens.join('/')}`);
}

function safeDecode(token: string): string {
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}
