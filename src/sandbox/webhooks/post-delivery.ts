/** POSTs one signed webhook delivery with GitHub's headers; resolves with what happened on the wire. */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { DELIVERY_FAILURES, failureOf, statusForCode, type DeliveryFailure } from './delivery-status.ts';

/** GitHub's webhook timeout on github.com: no complete answer within 10 s is "timed out". */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** Response bodies are kept (for GET /app/hook/deliveries/{id}) up to this many bytes. */
const MAX_RESPONSE_BYTES = 8 * 1024;

export interface OutgoingDelivery {
  url: string;
  id: string;
  event: string;
  body: string;
  secret: string;
  hookId: number;
  appId: number;
  timeoutMs?: number;
}

export interface DeliveryOutcome {
  /** the receiver's HTTP status; 0 when no HTTP answer arrived */
  statusCode: number;
  /** GitHub's text: "OK", "Invalid HTTP Response: 500", "failed to connect to network", "timed out", … */
  status: string;
  response: { headers: Record<string, string> | null; body: string | null };
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The headers of a delivery as GitHub sends them (the signature is computed now, over the exact body). */
export function deliveryHeaders(d: Omit<OutgoingDelivery, 'url' | 'timeoutMs'>): Record<string, string> {
  return {
    Accept: '*/*',
    'Content-Type': 'application/json',
    'User-Agent': 'GitHub-Hookshot/sandbox',
    'X-GitHub-Event': d.event,
    'X-GitHub-Delivery': d.id,
    'X-GitHub-Hook-ID': String(d.hookId),
    'X-GitHub-Hook-Installation-Target-ID': String(d.appId),
    'X-GitHub-Hook-Installation-Target-Type': 'integration',
    'X-Hub-Signature-256': signBody(d.secret, d.body),
  };
}

function headerRecord(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) out[raw[i]] = out[raw[i]] === undefined ? raw[i + 1] : `${out[raw[i]]}, ${raw[i + 1]}`;
  return out;
}

function failed(kind: DeliveryFailure): DeliveryOutcome {
  return { statusCode: 0, status: DELIVERY_FAILURES[kind], response: { headers: null, body: null } };
}

/**
 * Starts the request on a fresh connection (no keep-alive reuse, so a restarted receiver is not
 * mistaken for a reset); `sent` resolves once the body is written (or the attempt failed), `done`
 * with the outcome once the answer is complete, the connection failed, or the timeout passed.
 */
export function postDelivery(d: OutgoingDelivery): { sent: Promise<void>; done: Promise<DeliveryOutcome> } {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const done = new Promise<DeliveryOutcome>((resolve) => {
    let settled = false;
    let connected = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (outcome: DeliveryOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      markSent();
      resolve(outcome);
    };
    let url: URL;
    try {
      url = new URL(d.url);
    } catch {
      finish(failed('host'));
      return;
    }
    const buf = Buffer.from(d.body, 'utf8');
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, { method: 'POST', agent: false, headers: { ...deliveryHeaders(d), 'Content-Length': String(buf.length) } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        const body = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
        finish({ statusCode: code, status: statusForCode(code), response: { headers: headerRecord(res.rawHeaders), body } });
      });
      res.on('error', (err) => finish(failed(failureOf(err, true))));
      res.on('close', () => {
        if (!res.complete) finish(failed('reset'));
      });
    });
    timer = setTimeout(() => {
      finish(failed('timeout'));
      req.destroy();
    }, d.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    req.on('error', (err) => finish(failed(failureOf(err, connected))));
    req.on('finish', markSent);
    req.end(buf);
  });
  return { sent, done };
}
