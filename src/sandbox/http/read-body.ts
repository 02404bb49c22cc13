/** Reads a request body (bounded) and parses JSON, answering 400 "Problems parsing JSON" like GitHub. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.ts';

const MAX_BODY = 25 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new HttpError(413, 'Request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'Problems parsing JSON');
  }
}
