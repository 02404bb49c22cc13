/**
 * Replies to a command exactly once: the reply carries a hidden marker naming the command's
 * comment, and a redelivered webhook finds it instead of replying twice.
 */
import type { GitHubPort } from '../github/port.ts';
import type { CommentFacts } from './command-env.ts';

/** `key` tells apart several replies to one command (a drill's start and its report). */
export async function replyOnce(port: GitHubPort, facts: CommentFacts, text: string, key = ''): Promise<void> {
  const marker = `<!-- unwind:reply-to ${facts.commentId}${key ? ` ${key}` : ''} -->`;
  const existing = await port.listComments(facts.repo, facts.issueNumber);
  // Only Unwind's own comment counts: another App (or a person) quoting the marker must not silence the reply.
  if (existing.some((c) => c.user.login === facts.botLogin && c.body.includes(marker))) return;
  await port.createComment(facts.repo, facts.issueNumber, `${text}\n\n${marker}`);
}
