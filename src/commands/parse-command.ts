/**
 * Parses a comment into a `/rollback` command, a reply explaining what is wrong, or nothing to do.
 * Pure and total: never throws, whatever the input.
 */
import { findCommandLines } from './find-command-lines.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { parseTarget, TARGET_FORMS } from './parse-target.ts';
import { readArguments, shown } from './read-arguments.ts';
import { isRollbackId } from '../shared/rollback-id.ts';
import { tokenize } from './tokenize.ts';
import { SUBCOMMAND_NAMES, SUBCOMMANDS, type SubcommandName } from './usage.ts';

export { helpText } from './usage.ts';

export type Target =
  | { kind: 'pull'; owner: string; repo: string; number: number }
  | { kind: 'commit'; owner: string; repo: string; sha: string };

export type RollbackCommand =
  | { name: 'rollback'; targets: Target[]; reason: string | null; dryRun: boolean; overrides: string[] }
  | { name: 'plan'; targets: Target[]; reason: string | null }
  | { name: 'approve'; id: string | null }
  | { name: 'abort'; id: string | null; reason: string | null }
  | { name: 'cancel'; id: string | null; reason: string | null }
  | { name: 'retry'; id: string | null }
  | { name: 'status'; id: string | null }
  | { name: 'drill'; targets: Target[]; reason: string | null }
  | { name: 'help' };

export type ParseResult = { kind: 'command'; command: RollbackCommand } | { kind: 'reply'; message: string } | { kind: 'ignore' };

export interface ParseContext {
  authorType: 'User' | 'Bot' | 'Organization';
  defaultOwner: string;
  defaultRepo: string;
}

export const MAX_TARGETS = 50;

export function parseCommand(body: string, ctx: ParseContext): ParseResult {
  try {
    return parse(body, ctx);
  } catch (err) {
    // Unreachable by design; a parser bug must still answer rather than throw.
    return { kind: 'reply', message: `Unwind could not read this command (${err instanceof Error ? err.message : 'internal error'}). See \`/rollback help\`.` };
  }
}

function parse(body: string, ctx: ParseContext): ParseResult {
  if (typeof body !== 'string' || ctx.authorType === 'Bot') return { kind: 'ignore' };
  const lines = findCommandLines(body);
  if (lines.length === 0) return { kind: 'ignore' };
  if (lines.length > 1) {
    return reply(`one \`/rollback\` command per comment, please; this comment has ${lines.length} (lines ${lines.map((l) => l.line).join(', ')})`, null);
  }
  const tokenized = tokenize(lines[0].args, lines[0].column);
  if (!tokenized.ok) return reply(`${tokenized.problem}; close quotes, as \`--reason "the deploy broke checkout"\``, 'rollback');
  const tokens = tokenized.tokens;

  let sub: SubcommandName = 'rollback';
  const first = tokens[0];
  if (first !== undefined && !first.quoted) {
    const word = first.text.toLowerCase();
    if ((SUBCOMMAND_NAMES as string[]).includes(word)) {
      sub = word as SubcommandName;
      tokens.shift();
    } else if (isRollbackId(word)) {
      return reply(`a rollback id needs a command first, as \`/rollback status ${word}\` or \`/rollback approve ${word}\``, null);
    } else if (/^[a-z][a-z-]*$/.test(word)) {
      const guess = didYouMean(word, SUBCOMMAND_NAMES, { prefix: true });
      const hint = guess ? `; did you mean \`/rollback ${guess}\`?` : `; the commands are ${SUBCOMMAND_NAMES.map((n) => `\`${n}\``).join(', ')}`;
      return reply(`unknown command ${shown(first.text)}${hint}`, guess as SubcommandName | null);
    }
  }

  const read = readArguments(sub, tokens);
  if (!read.ok) return reply(read.problem, sub);
  const args = read.args;
  if (args.help || sub === 'help') {
    if (sub === 'help' && args.positionals.length > 0) return reply('`/rollback help` takes no arguments', 'help');
    return { kind: 'command', command: { name: 'help' } };
  }

  const spec = SUBCOMMANDS[sub];
  if (spec.args === 'id') {
    const id = readId(sub, args.positionals, ctx);
    if (!id.ok) return reply(id.problem, sub);
    if (sub === 'abort' || sub === 'cancel') return command({ name: sub, id: id.id, reason: args.reason });
    return command({ name: sub as 'approve' | 'retry' | 'status', id: id.id });
  }

  const targets = readTargets(args.positionals, ctx, args.reason !== null);
  if (!targets.ok) return reply(targets.problem, sub);
  if (sub === 'plan') return command({ name: 'plan', targets: targets.targets, reason: args.reason });
  if (sub === 'drill') return command({ name: 'drill', targets: targets.targets, reason: args.reason });
  return command({ name: 'rollback', targets: targets.targets, reason: args.reason, dryRun: args.dryRun, overrides: args.overrides });
}

function readId(sub: SubcommandName, words: readonly string[], ctx: ParseContext): { ok: true; id: string | null } | { ok: false; problem: string } {
  if (words.length === 0) return { ok: true, id: null };
  const looksLikeTarget = words.some((w) => parseTarget(w, { owner: ctx.defaultOwner, repo: ctx.defaultRepo }).ok);
  if (looksLikeTarget) return { ok: false, problem: `\`/rollback ${sub}\` takes a rollback id, not targets` };
  if (words.length > 1) return { ok: false, problem: `\`/rollback ${sub}\` takes at most one rollback id, got ${words.length}` };
  const id = unticked(words[0]).toLowerCase();
  if (!isRollbackId(id)) return { ok: false, problem: `${shown(words[0])} is not a rollback id; ids look like \`rb-\` followed by at least 8 lowercase letters or digits` };
  return { ok: true, id };
}

function readTargets(
  words: readonly string[],
  ctx: ParseContext,
  hadReason: boolean,
): { ok: true; targets: Target[] } | { ok: false; problem: string } {
  const cleaned = words.map((w) => unticked(w).replace(/,+$/, '')).filter((w) => w !== '');
  if (cleaned.length > MAX_TARGETS) return { ok: false, problem: `at most ${MAX_TARGETS} targets per command, got ${cleaned.length}` };
  const targets: Target[] = [];
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const word of cleaned) {
    const parsed = parseTarget(word, { owner: ctx.defaultOwner, repo: ctx.defaultRepo });
    if (!parsed.ok) {
      problems.push(parsed.problem);
      continue;
    }
    const key = targetKey(parsed.target);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(`${shown(word)} names the same target as ${shown(earlier)}; list each target once`);
      continue;
    }
    seen.set(key, word);
    targets.push(parsed.target);
  }
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    const quoteHint = hadReason && problems.some((p) => p.includes('is not a target')) ? '; if this is part of the reason, put the reason in quotes' : '';
    return { ok: false, problem: problems.slice(0, 3).join('; ') + more + quoteHint };
  }
  return { ok: true, targets };
}

/** People often write targets and ids as code: `#12`. */
function unticked(word: string): string {
  return /^`[^`]+`,?$/.test(word) ? word.replace(/`/g, '') : word;
}

function targetKey(t: Target): string {
  const repo = `${t.owner}/${t.repo}`.toLowerCase();
  return t.kind === 'pull' ? `${repo}#${t.number}` : `${repo}@${t.sha}`;
}

function command(c: RollbackCommand): ParseResult {
  return { kind: 'command', command: c };
}

function reply(problem: string, sub: SubcommandName | null): ParseResult {
  const usage = sub === null ? Object.values(SUBCOMMANDS).map((s) => `\`${s.usage}\``).join('<br>') : `\`${SUBCOMMANDS[sub].usage}\``;
  const lines = [`Unwind could not run this command: ${problem}${/[.?]$/.test(problem) ? '' : '.'}`, '', `Usage: ${usage}`];
  if (sub !== null && SUBCOMMANDS[sub].args === 'targets') lines.push('', `Targets are ${TARGET_FORMS}.`);
  lines.push('', 'Comment `/rollback help` for every command and option.');
  return { kind: 'reply', message: lines.join('\n') };
}
