/** Rollback ids: `rb-` followed by at least 8 lowercase letters or digits (at most 64 characters overall). */
export const ROLLBACK_ID_PATTERN = '^rb-[a-z0-9]{8,61}$';

const ROLLBACK_ID_RE = new RegExp(ROLLBACK_ID_PATTERN);

export function isRollbackId(value: string): boolean {
  return ROLLBACK_ID_RE.test(value);
}
