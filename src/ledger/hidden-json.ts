/**
 * Machine-readable records hidden in GitHub markdown: `<!-- unwind:<tag> <base64url(JSON)> -->`.
 * base64url contains neither `--` nor `>`, so the HTML comment can never be closed early, GitHub keeps the text
 * verbatim and renders nothing. Parsing is total: an absent, truncated or tampered block yields null.
 */
const TAG = /^[a-z][a-z0-9_.]{0,31}$/;

export function renderHidden(tag: string, value: unknown): string {
  checkTag(tag);
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`renderHidden(${tag}): the value cannot be written as JSON`);
  return `<!-- unwind:${tag} ${Buffer.from(json, 'utf8').toString('base64url')} -->`;
}

export function parseHidden(tag: string, body: string): unknown | null {
  if (typeof body !== 'string' || !TAG.test(tag)) return null;
  const match = hiddenPattern(tag).exec(body);
  if (!match) return null;
  const payload = match[1].replace(/\s+/g, '');
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
  return new RegExp(`<!--\\s*unwind:${tag.replace(/\./g, '\\.')}\\s+([A-Za-z0-9_\\-\\s]+=*)\\s*-->`);
}

function checkTag(tag: string): void {
  if (!TAG.test(tag)) throw new TypeError(`hidden-record tag ${JSON.stringify(tag)} must match ${TAG.source}`);
}
