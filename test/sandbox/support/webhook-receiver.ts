/** A tiny webhook receiver on 127.0.0.1:0 that verifies `X-Hub-Signature-256` with @octokit/webhooks-methods. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verify } from '@octokit/webhooks-methods';

export interface ReceivedWebhook {
  id: string;
  event: string;
  action: string | undefined;
  payload: Record<string, unknown>;
  signatureValid: boolean;
  headers: http.IncomingHttpHeaders;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedWebhook[];
  /** Status to answer (default 200) and optional delay, e.g. to test timeouts and failures. */
  respond(p: { status?: number; delayMs?: number }): void;
  waitFor(pred: (w: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  of(event: string, action?: string): ReceivedWebhook[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let status = 200;
  let delayMs = 0;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const sig = String(req.headers['x-hub-signature-256'] ?? '');
        const signatureValid = await verify(secret, body, sig).catch(() => false);
        const payload = JSON.parse(body) as Record<string, unknown>;
        received.push({
          id: String(req.headers['x-github-delivery']),
          event: String(req.headers['x-github-event']),
          action: typeof payload.action === 'string' ? payload.action : undefined,
          payload,
          signatureValid,
          headers: req.headers,
        });
        for (const w of waiters.splice(0)) w();
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        res.writeHead(status, { 'content-type': 'text/plain' });
        res.end('ok');
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
  return {
    url,
    received,
    respond(p) {
      status = p.status ?? 200;
      delayMs = p.delayMs ?? 0;
    },
    async waitFor(pred, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = received.find(pred);
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`webhook not received within ${timeoutMs} ms; got: ${received.map((r) => `${r.event}.${r.action ?? ''}`).join(', ')}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    of(event, action) {
      return received.filter((r) => r.event === event && (action === undefined || r.action === action));
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
