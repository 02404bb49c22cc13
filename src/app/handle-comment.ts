/**
 * A new issue or PR comment: parse it, acknowledge a command with 👀 at once, then run the use
 * case. Comments by bots (Unwind included) are ignored; malformed commands get a helpful reply.
 */
import { helpText, parseCommand } from '../commands/parse-command.ts';
import { abortRollback } from './abort-rollback.ts';
import { approveRollback } from './approve-rollback.ts';
import type { CommandEnv, CommentFacts } from './command-env.ts';
import { replyOnce } from './reply.ts';
import { reportStatus } from './report-status.ts';
import { retryRollback } from './retry-rollback.ts';
import { startRollback } from './start-rollback.ts';
import { drillRollback } from './drill.ts';
import { cancelPendingRevert } from './veto-window/cancel-command.ts';
import { IGNORED_STATE_TEXT, reportTampering, TamperedStateError } from '../trust/report-tampering.ts';

export async function handleComment(env: CommandEnv, facts: CommentFacts, body: string): Promise<void> {
  try {
    await runCommand(env, facts, body);
  } catch (err) {
    // A command on a tracking issue whose state cannot be trusted gets an answer, never an effect.
    if (!(err instanceof TamperedStateError)) throw err;
    const issue = await env.client.port.getIssue(facts.repo, facts.issueNumber);
    if (issue) await reportTampering({ port: env.client.port, trust: env.trust, log: env.log, issue, why: err.why });
    await replyOnce(env.client.port, facts, `Nothing was done: the state of ${err.tracking} ${IGNORED_STATE_TEXT} (${err.why}).`);
  }
}

async function runCommand(env: CommandEnv, facts: CommentFacts, body: string): Promise<void> {
  if (facts.actorIsBot) return;
  const parsed = parseCommand(body, { authorType: 'User', defaultOwner: facts.repo.owner, defaultRepo: facts.repo.repo });
  if (parsed.kind === 'ignore') return;
  const port = env.client.port;
  // The 👀 goes out with the command's first reads rather than one round trip before them; a failed
  // reaction still fails the delivery (after the command, which is idempotent, so a retry redoes both).
  const reacted = port.addReaction(facts.repo, facts.commentId, 'eyes').then(
    () => null,
    (err: unknown) => ({ err }),
  );
  env.metrics?.commands.inc({ command: parsed.kind === 'reply' ? 'reply' : parsed.command.name });
  try {
    await runParsed(env, facts, parsed);
  } catch (err) {
    // The command's own error is the one reported (the reaction is waited for, never left dangling).
    await reacted;
    throw err;
  }
  const failed = await reacted;
  if (failed) throw failed.err;
}

async function runParsed(env: CommandEnv, facts: CommentFacts, parsed: Exclude<ReturnType<typeof parseCommand>, { kind: 'ignore' }>): Promise<void> {
  const port = env.client.port;
  if (parsed.kind === 'reply') return replyOnce(port, facts, parsed.message);
  const command = parsed.command;
  env.log.info({ command: command.name, actor: facts.actor, issue: facts.issueNumber }, 'command received');
  switch (command.name) {
    case 'rollback':
      return startRollback(env, facts, { targets: command.targets, reason: command.reason, dryRun: command.dryRun, overrides: command.overrides });
    case 'plan':
      return startRollback(env, facts, { targets: command.targets, reason: command.reason, dryRun: true, overrides: [] });
    case 'approve':
      return approveRollback(env, facts, command.id);
    case 'abort':
      return abortRollback(env, facts, command.id, command.reason);
    case 'cancel':
      return cancelPendingRevert(env, facts, command.id, command.reason);
    case 'retry':
      return retryRollback(env, facts, command.id);
    case 'status':
      return reportStatus(env, facts, command.id);
    case 'drill': {
      // A rehearsal takes a while: it must not hold back real commands on this repository.
      const drill = drillRollback(env, facts, { targets: command.targets, reason: command.reason });
      if (env.background) return env.background(drill);
      return drill;
    }
    case 'help':
      return replyOnce(port, facts, helpText());
  }
}
