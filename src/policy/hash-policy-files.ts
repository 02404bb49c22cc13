/** The policy version: a content hash that travels with every decision. */
import { createHash } from 'node:crypto';

export interface PolicyFile {
  path: string;
  content: Buffer | string;
}

/**
 * `sha256:<hex>` over the files sorted by path; each file contributes `<byte length>\n<content>`, so
 * the hash depends on contents and their order only (not on where the folder lives).
 */
export function hashPolicyFiles(files: readonly PolicyFile[]): string {
  const h = createHash('sha256');
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const bytes = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content;
    h.update(`${bytes.byteLength}\n`);
    h.update(bytes);
  }
  return `sha256:${h.digest('hex')}`;
}
