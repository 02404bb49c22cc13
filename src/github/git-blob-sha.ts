import { createHash } from 'node:crypto';

/** The git blob id of some content: sha1("blob <size>\0" + bytes). */
export function gitBlobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
