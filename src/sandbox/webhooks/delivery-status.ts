/**
 * The `status` text GitHub records for a webhook delivery attempt (hook-delivery-item.status), with
 * `status_code` 0 whenever no HTTP answer arrived. Texts of connection failures follow GitHub's
 * "Troubleshooting webhooks" page; "connection reset by peer" is the sandbox's own (GitHub documents none).
 */
export const DELIVERY_FAILURES = {
  /** DNS failure or network restrictions: the host could not be reached */
  host: 'failed to connect to host',
  /** the receiver refused the connection (nothing listening) */
  network: 'failed to connect to network',
  /** no complete answer within the delivery timeout (10 s on github.com) */
  timeout: 'timed out',
  /** the connection was closed or reset before a complete answer */
  reset: 'connection reset by peer',
  tls: 'Peer certificate cannot be authenticated with given CA certificates',
} as const;

export type DeliveryFailure = keyof typeof DELIVERY_FAILURES;

/** "OK" for 2xx, GitHub's "Invalid HTTP Response: <code>" for anything else. */
export function statusForCode(code: number): string {
  return code >= 200 && code < 300 ? 'OK' : `Invalid HTTP Response: ${code}`;
}

const HOST_ERRORS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ETIMEDOUT', 'EADDRNOTAVAIL']);

/** Classifies a Node socket error; `connected` tells whether the TCP connection had been established. */
export function failureOf(err: unknown, connected: boolean): DeliveryFailure {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === 'ECONNREFUSED') return 'network';
    if (HOST_ERRORS.has(code) && !connected) return 'host';
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return 'tls';
  }
  return connected ? 'reset' : 'host';
}
