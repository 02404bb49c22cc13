import { didYouMean } from '../shared/did-you-mean.ts';
import { mdCode } from '../shared/markdown.ts';
import type { Token } from './tokenize.ts';
import { FLAG_NAMES, type FlagName, type SubcommandName, SUBCOMMANDS } from './usage.ts';

export interface Arguments {
  readonly positionals: string[];
  readonly reason: string | null;
  readonly dryRun: boolean;
  readonly overrides: string[];
  readonly help: boolean;
}

export type ArgumentsResult = { readonly ok: true; readonly args: Arguments } | { readonly ok: false; readonly problem: string };

export const MAX_TEXT_LENGTH = 1000;
const MAX_OVERRIDES = 10;

/** Separates flags from positional words and checks each flag against what `sub` accepts. */
export function readArguments(sub: SubcommandName, tokens: readonly Token[]): ArgumentsResult {
  const allowed = SUBCOMMANDS[sub].flags;
  const positionals: string[] = [];
  const overrides: string[] = [];
  let reason: string | null = null;
  let dryRun = false;
  let help = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const text = token.quoted ? token.text : normaliseDashes(token.text);
    if (token.quoted || !text.startsWith('-') || text === '-') {
      positionals.push(token.text);
      continue;
    }
    const eq = text.indexOf('=');
    const name = eq >= 0 ? text.slice(0, eq) : text;
    let inline: string | null = eq >= 0 ? text.slice(eq + 1) : null;
    if (name === '--help' || name === '-h') {
      help = true;
      continue;
    }
    if (!(FLAG_NAMES as readonly string[]).includes(name)) {
      const guess = didYouMean(name, allowed.length > 0 ? allowed : FLAG_NAMES, { prefix: true });
      return fail(`unknown option ${shown(name)}${guess ? `; did you mean \`${guess}\`?` : ''}`);
    }
    const flag = name as FlagName;
    if (!allowed.includes(flag)) {
      const which = allowed.length > 0 ? `it accepts ${allowed.map((f) => `\`${f}\``).join(', ')}` : 'it takes no options';
      return fail(`\`${flag}\` does not apply to \`${sub === 'rollback' ? '/rollback' : `/rollback ${sub}`}\`; ${which}`);
    }
    if (flag === '--dry-run') {
      if (inline !== null) return fail('`--dry-run` takes no value');
      if (dryRun) return fail('`--dry-run` is given twice');
      dryRun = true;
      continue;
    }
    if (inline === null) {
      const next = tokens[i + 1];
      if (next === undefined || (!next.quoted && normaliseDashes(next.text).startsWith('--'))) {
        return fail(`\`${flag}\` needs a value, as \`${flag} "…"\``);
      }
      inline = next.text;
      i++;
    }
    const value = inline.trim();
    if (value === '') return fail(`\`${flag}\` needs a non-empty value, as \`${flag} "…"\``);
    if (value.length > MAX_TEXT_LENGTH) return fail(`the value of \`${flag}\` is longer than ${MAX_TEXT_LENGTH} characters`);
    if (flag === '--reason') {
      if (reason !== null) return fail('`--reason` is given twice; give one reason (quote it if it has spaces)');
      reason = value;
    } else {
      if (overrides.length >= MAX_OVERRIDES) return fail(`at most ${MAX_OVERRIDES} \`--override\` options are accepted`);
      overrides.push(value);
    }
  }
  return { ok: true, args: { positionals, reason, dryRun, overrides, help } };
}

/** Editors turn `--` into an en or em dash; read those as `--`. */
export function normaliseDashes(text: string): string {
  return text.replace(/^[\u2013\u2014]/, '--');
}

/** User text quoted in a reply: a code span when it can safely be one (see `mdCode`), of bounded length. */
export function shown(text: string): string {
  return mdCode(text, { max: 60 });
}

function fail(problem: string): ArgumentsResult {
  return { ok: false, problem };
}
