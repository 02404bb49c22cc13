/**
 * Machine-readable records hidden in GitHub markdown: `<!-- unwind:<tag> <base64url(JSON)>[ <signature>] -->`.
 * base64url contains neither `--` nor `>`, so the HTML comment can never be closed early, GitHub keeps the text
 * verbatim and renders nothing. The optional signature (`<kid>.<mac>`, see src/trust/seal.ts) authenticates the
 * payload. Parsing is total: an absent, truncated or tampered block yields null.
 */
const TAG = /^[a-z][a-z0-9_.]{0,31}$/;

export function renderHidden(tag: string, value: unknown, sign?: (payload: string) => string): string {
  checkTag(tag);
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`renderHidden(${tag}): the value cannot be written as JSON`);
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  return `<!-- unwind:${tag} ${payload}${sign ? ` ${sign(payload)}` : ''} -->`;
}

/** The first block's value, signature not checked: for display and offline tools, never for acting on. */
export function parseHidden(tag: string, body: string): unknown | null {
  const [first] = findHidden(tag, body);
  return first ? decodeHidden(first.payload) : null;
}

/** Every well-formed block of `tag` in `body`, in order, with its exact payload and signature (if any). */
export function findHidden(tag: string, body: string): Array<{ payload: string; signature: string | null }> {
  if (typeof body !== 'string' || !TAG.test(tag)) return [];
  const out: Array<{ payload: string; signature: string | null }> = [];
  for (const m of body.matchAll(hiddenPattern(tag))) out.push({ payload: m[1].replace(/\s+/g, ''), signature: m[2] ?? null });
  return out;
}

/** How many comments in `body` open a block of `tag`, well-formed or not. */
export function countHiddenOpeners(tag: string, body: string): number {
  if (typeof body !== 'string' || !TAG.test(tag)) return 0;
  return [...body.matchAll(new RegExp(`<!--\\s*unwind:${tag.replace(/\./g, '\\.')}(?![a-z0-9_.])`, 'g'))].length;
}

export function decodeHidden(payload: string): unknown | null {
  if (payload.length % 4 === 1) return null;
  try {
    const bytes = Buffer.from(payload, 'base64url');
    // Buffer ignores characters it cannot decode; re-encoding catches corrupted text.
    if (bytes.toString('base64url') !== payload.replace(/=+$/, '')) return null;
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Removes every hidden block (of any tag) and neutralises stray comment openers, so quoted text cannot forge one. */
export function stripHidden(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '').replace(/<!--/g, '&lt;!--');
}

function hiddenPattern(tag: string): RegExp {
  return new RegExp(`<!--\\s*unwind:${tag.replace(/\./g, '\\.')}\\s+([A-Za-z0-9_\\-\\s]+=*)(?:\\s+([a-z0-9-]{1,32}\\.[A-Za-z0-9_-]{43}))?\\s*-->`, 'g');
}

function checkTag(tag: string): void {
  if (!TAG.test(tag)) throw new TypeError(`hidden-record tag ${JSON.stringify(tag)} must match ${TAG.source}`);
}
