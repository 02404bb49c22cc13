import { createHash } from 'node:crypto';

/** Rollback ids: `rb-` followed by at least 8 lowercase letters or digits (at most 64 characters overall). */
export const ROLLBACK_ID_PATTERN = '^rb-[a-z0-9]{8,61}$';

const ROLLBACK_ID_RE = new RegExp(ROLLBACK_ID_PATTERN);

export function isRollbackId(value: string): boolean {
  return ROLLBACK_ID_RE.test(value);
}

/**
 * A rollback's id is derived from what requested it (repo + comment id, or a check run), so a
 * redelivered webhook maps to the same rollback instead of starting a second one.
 */
export function deriveRollbackId(origin: string): string {
  const digest = createHash('sha256').update(origin).digest();
  let n = 0n;
  for (const byte of digest.subarray(0, 8)) n = (n << 8n) | BigInt(byte);
  return 'rb-' + n.toString(36).padStart(10, '0').slice(-10);
}
