/**
 * Merge configuration layers for `_extends`: mappings merge key by key (deeply), everything else —
 * scalars and lists — is replaced by the more specific layer. Lists are replaced rather than concatenated
 * (Probot's deepmerge default) so that a repo's `wait_for: [ci]` means exactly that, and compensation
 * lists never end up with duplicated ids.
 */
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `layers` from the most general (org base) to the most specific (the repo's own file). */
export function mergeLayers(layers: readonly Obj[]): Obj {
  let out: Obj = {};
  for (const layer of layers) out = mergeTwo(out, layer);
  return out;
}

function mergeTwo(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const merged = isObj(v) && Object.hasOwn(out, k) && isObj(out[k]) ? mergeTwo(out[k] as Obj, v) : v;
    // Defined, not assigned: a key `__proto__` must not replace the object's prototype.
    Object.defineProperty(out, k, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
