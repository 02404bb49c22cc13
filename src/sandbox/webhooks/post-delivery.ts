/** POSTs one signed webhook delivery with GitHub's headers; resolves with the HTTP status or 'error'. */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface OutgoingDelivery {
  url: string;
  id: string;
  event: string;
  body: string;
  secret: string;
  hookId: number;
  appId: number;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Starts the request; `sent` resolves once the body is written, `done` with the outcome. */
export function postDelivery(d: OutgoingDelivery): { sent: Promise<void>; done: Promise<number | 'error'> } {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const done = new Promise<number | 'error'>((resolve) => {
    let url: URL;
    try {
      url = new URL(d.url);
    } catch {
      markSent();
      resolve('error');
      return;
    }
    const buf = Buffer.from(d.body, 'utf8');
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(buf.length),
          'User-Agent': 'GitHub-Hookshot/sandbox',
          'X-GitHub-Event': d.event,
          'X-GitHub-Delivery': d.id,
          'X-GitHub-Hook-ID': String(d.hookId),
          'X-GitHub-Hook-Installation-Target-ID': String(d.appId),
          'X-GitHub-Hook-Installation-Target-Type': 'integration',
          'X-Hub-Signature-256': signBody(d.secret, d.body),
        },
        timeout: DELIVERY_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve('error'));
      },
    );
    req.on('timeout', () => req.destroy(new Error('webhook delivery timed out')));
    req.on('error', () => {
      markSent();
      resolve('error');
    });
    req.on('finish', markSent);
    req.end(buf);
  });
  return { sent, done };
}
