/**
 * A pending automatic revert (issue 14, veto window): announced, not yet started. It lives on GitHub,
 * not in memory, so a restart during the window neither loses nor repeats it: an issue in the org
 * config repo (where automatic reverts are tracked), labelled `unwind:revert-pending`, whose body
 * carries this record signed by Unwind, and whose comments are its ledger (announced, then cancelled
 * or started). The issue is closed once the window is decided.
 */
import { z } from 'zod';
import type { GitHubPort, IssueInfo, RepoRef } from '../../github/port.ts';
import { ROLLBACK_ID_PATTERN } from '../../shared/rollback-id.ts';
import { sealHidden, unsealHidden } from '../../trust/seal.ts';
import { writtenByUnwind, type Trust } from '../../trust/trust.ts';

export const PENDING_LABEL = 'unwind:revert-pending';
export const NO_REVERT_LABEL = 'unwind:no-revert';
const TAG = 'pending_revert';

export const PendingRevertSchema = z.strictObject({
  v: z.literal(1),
  id: z.string().regex(new RegExp(ROLLBACK_ID_PATTERN)),
  culprit: z.strictObject({ repo: z.string(), number: z.number().int().positive(), url: z.string(), author: z.string(), mergeSha: z.string() }),
  trigger: z.strictObject({ kind: z.enum(['check', 'status', 'workflow']), name: z.string(), sha: z.string(), branch: z.string(), url: z.string().nullable() }),
  reason: z.string(),
  announcedAt: z.iso.datetime(),
  deadline: z.iso.datetime(),
});
export type PendingRevert = z.infer<typeof PendingRevertSchema>;

export interface FoundPending {
  readonly record: PendingRevert;
  readonly issue: IssueInfo;
}

/** Where the record is signed for: the config repo and the rollback id (the issue number is not known before it exists). */
export function pendingPlace(configRepo: RepoRef, id: string): string {
  return `${configRepo.owner}/${configRepo.repo}:pending:${id}`;
}

export function sealPending(record: PendingRevert, configRepo: RepoRef, trust: Trust): string {
  return sealHidden(TAG, pendingPlace(configRepo, record.id), record, trust.keyring);
}

/** Pending reverts of an org (open ones, or all), only from issues Unwind opened and signed. */
export async function listPending(port: GitHubPort, configRepo: RepoRef, trust: Trust, state: 'open' | 'all'): Promise<FoundPending[]> {
  const out: FoundPending[] = [];
  for (const issue of await port.listIssues(configRepo, { labels: [PENDING_LABEL], state })) {
    if (issue.isPullRequest || !writtenByUnwind(trust, issue.user)) continue;
    const id = /Pending automatic revert (rb-[a-z0-9]+)/.exec(issue.title)?.[1];
    if (!id) continue;
    const sealed = unsealHidden(TAG, pendingPlace(configRepo, id), issue.body, trust.keyring);
    const parsed = sealed.ok ? PendingRevertSchema.safeParse(sealed.value) : null;
    if (parsed?.success && parsed.data.id === id) out.push({ record: parsed.data, issue });
  }
  return out;
}

export async function findPending(port: GitHubPort, configRepo: RepoRef, trust: Trust, id: string): Promise<FoundPending | null> {
  return (await listPending(port, configRepo, trust, 'all')).find((p) => p.record.id === id) ?? null;
}
