/**
 * Tampering is reported where people look (a comment on the issue, once per distinct body) and in
 * the logs; what was tampered with is never acted on.
 */
import { createHash } from 'node:crypto';
import type { GitHubPort, IssueInfo } from '../github/port.ts';
import type { Logger } from '../shared/logger.ts';
import { writtenByUnwind, type Trust } from './trust.ts';

export const IGNORED_STATE_TEXT = 'was not written by Unwind and is ignored';

/** Thrown where a state passed its own checks but the signed ledger shows it is older than what Unwind last recorded. */
export class TamperedStateError extends Error {
  constructor(
    readonly tracking: string,
    readonly why: string,
  ) {
    super(`the state of tracking issue ${tracking} ${IGNORED_STATE_TEXT}: ${why}`);
    this.name = 'TamperedStateError';
  }
}

export async function reportTampering(p: { port: GitHubPort; trust: Trust; log: Logger; issue: IssueInfo; why: string }): Promise<void> {
  const { port, issue } = p;
  const where = `${issue.owner}/${issue.repo}#${issue.number}`;
  p.log.warn({ tampering: true, tracking: where, author: issue.user.login, why: p.why }, 'tampering: tracking issue state ignored');
  const digest = createHash('sha256').update(issue.body).digest('hex').slice(0, 16);
  const marker = `<!-- unwind:tamper ${digest} -->`;
  const existing = await port.listComments(issue, issue.number);
  if (existing.some((c) => writtenByUnwind(p.trust, c.user) && c.body.includes(marker))) return;
  const text = [
    `**Unwind will not act on this issue.** The rollback state of this tracking issue ${IGNORED_STATE_TEXT}: ${p.why}.`,
    '',
    'Unwind only trusts tracking issues it opened itself whose hidden state carries its own signature.',
    'If this is a real rollback, restore the body Unwind last wrote (the issue\'s edit history has it); otherwise close this issue.',
  ].join('\n');
  await port.createComment(issue, issue.number, `${text}\n\n${marker}`);
}
