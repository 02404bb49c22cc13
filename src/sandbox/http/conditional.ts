/**
 * Conditional GETs as GitHub answers them: every 200 to a GET carries an `ETag` (weak `W/"…"` for JSON,
 * strong `"…"` for raw media), and a GET whose `If-None-Match` lists the current tag gets `304 Not Modified`
 * with no body. The tag is a SHA-256 over what the client would receive: content type, `link` and body.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface Representation {
  contentType: string;
  link?: string;
  data: Buffer;
  /** raw media (file contents) get a strong tag, JSON a weak one, as on GitHub */
  raw: boolean;
}

export function etagOf(r: Representation): string {
  const hash = createHash('sha256').update(r.contentType).update('\n').update(r.link ?? '').update('\n').update(r.data).digest('hex');
  return r.raw ? `"${hash}"` : `W/"${hash}"`;
}

const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');

/** RFC 9110 weak comparison: `*` or any listed tag equal to `etag` once `W/` is dropped. */
export function ifNoneMatchHits(headers: IncomingHttpHeaders, etag: string): boolean {
  const raw = headers['if-none-match'];
  if (raw === undefined || raw === '') return false;
  const want = opaque(etag);
  return raw
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || opaque(t) === want);
}

/**
 * Headers GitHub sends with cacheable GET answers (200 and 304). `private` when the request was authorized,
 * since the answer may depend on the token.
 */
export function cacheHeaders(authorized: boolean): Record<string, string> {
  return {
    'cache-control': `${authorized ? 'private' : 'public'}, max-age=60, s-maxage=60`,
    vary: 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding',
  };
}
