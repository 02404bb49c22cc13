import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

/** Finds the end of CGI headers: `\r\n\r\n` or `\n\n`. */
function headerEnd(buf: Buffer): { at: number; skip: number } | null {
  const crlf = buf.indexOf('\r\n\r\n');
  const lf = buf.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return null;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { at: crlf, skip: 4 };
  return { at: lf, skip: 2 };
}

function writeCgiHeaders(res: ServerResponse, text: string): void {
  let status = 200;
  let reason: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      const m = /^(\d{3})\s*(.*)$/.exec(value);
      if (m) [status, reason] = [Number(m[1]), m[2] || undefined];
    } else {
      res.setHeader(name, value);
    }
  }
  res.writeHead(status, reason);
}

/**
 * Runs git-http-backend as a CGI: request body in (the `prefix` chunks first, then the rest of the
 * stream unless `ended`), CGI headers turned into the HTTP status/headers, the body streamed out.
 * Resolves when the backend has exited and its output is written; does NOT end `res`.
 */
export function runHttpBackend(p: {
  req: IncomingMessage;
  res: ServerResponse;
  env: NodeJS.ProcessEnv;
  prefix?: { chunks: Buffer[]; ended: boolean };
}): Promise<{ exitCode: number | null; stderr: string }> {
  const { req, res } = p;
  return new Promise((resolve) => {
    const child = spawn(HTTP_BACKEND, [], { env: p.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let head: Buffer | null = Buffer.alloc(0);
    let stderr = '';
    let finished = false;
    const done = (exitCode: number | null) => {
      if (finished) return;
      finished = true;
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.write('git http-backend failed\n');
      }
      resolve({ exitCode, stderr });
    };
    res.on('close', () => {
      if (!finished) child.kill('SIGTERM');
    });
    child.on('error', (err) => {
      stderr += String(err);
      done(null);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += c.toString('utf8');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      let body = chunk;
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        const end = headerEnd(head);
        if (end === null) return;
        writeCgiHeaders(res, head.subarray(0, end.at).toString('latin1'));
        body = head.subarray(end.at + end.skip);
        head = null;
      }
      if (body.length > 0 && !res.write(body)) {
        child.stdout.pause();
        res.once('drain', () => child.stdout.resume());
      }
    });
    child.on('close', (code) => done(code));

    child.stdin.on('error', () => {}); // the backend may exit before reading everything (errors are in its output)
    for (const chunk of p.prefix?.chunks ?? []) child.stdin.write(chunk);
    if (p.prefix?.ended) child.stdin.end();
    else req.pipe(child.stdin);
  });
}
