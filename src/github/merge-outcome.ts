import type { MergeOutcome } from './port.ts';

/**
 * What a refused merge means (pure). 405 is "not mergeable": retryable when the base moved under us or when
 * GitHub is still computing mergeability; 409 is "head modified". Other statuses are not merge outcomes (null).
 */
export function refusedMergeOutcome(status: number, message: string, stillComputing: boolean): MergeOutcome | null {
  if (status === 409) return { kind: 'head_modified', message };
  if (status !== 405) return null;
  const retryable = /base branch was modified/i.test(message) || (/not mergeable/i.test(message) && stillComputing);
  return { kind: 'not_mergeable', message, retryable };
}
