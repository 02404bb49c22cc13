/**
 * A round-robin load balancer for webhooks in front of several `unwind serve` replicas: each delivery
 * goes to the next replica the balancer counts as healthy (the test says which are, as a health check
 * would), headers and body unchanged, and the replica's answer goes back to GitHub.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookProxy {
  readonly url: string;
  /** Replica base URLs; `healthy` decides which get deliveries. */
  setBackends(urls: readonly string[], healthy: (url: string) => boolean): void;
  /** Which replica each delivery went to, in order. */
  readonly routed: string[];
  close(): Promise<void>;
}

export async function startWebhookProxy(): Promise<WebhookProxy> {
  let backends: readonly string[] = [];
  let healthy: (url: string) => boolean = () => true;
  let next = 0;
  const routed: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const up = backends.filter((b) => healthy(b));
      if (!up.length) {
        res.writeHead(503).end('no healthy replica');
        return;
      }
      const target = up[next++ % up.length];
      routed.push(target);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length' && k !== 'connection') headers[k] = v;
      try {
        const answer = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: Buffer.concat(chunks) });
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(Buffer.from(await answer.arrayBuffer()));
      } catch (err) {
        res.writeHead(502).end(err instanceof Error ? err.message : String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    routed,
    setBackends(urls, isHealthy) {
      backends = urls;
      healthy = isHealthy;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
