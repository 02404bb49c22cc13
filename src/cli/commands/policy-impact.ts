/**
 * `unwind policy impact --base DIR --head DIR --ledgers FILE.jsonl [--limit N]`: replays the policy
 * inputs recorded in exported ledgers (`unwind audit`) under two versions of the policies and lists
 * every decision that would flip. Offline: nothing but the files named.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LedgerEntrySchema, type LedgerEntry } from '../../ledger/entry.ts';
import { readPolicyPaths } from '../../policy/read-policy-paths.ts';
import { compareDecisions } from '../../policy/impact/compare-decisions.ts';
import { policySetOf } from '../../policy/impact/policy-set-of.ts';
import { recordedInputs } from '../../policy/impact/recorded-input.ts';
import { renderImpactText } from '../../policy/impact/render-impact.ts';
import { positiveInteger } from '../parse-number.ts';

export const DEFAULT_IMPACT_LIMIT = 50;

export interface PolicyImpactOptions {
  readonly base: string;
  readonly head: string;
  readonly ledgers: readonly string[];
  readonly limit?: number;
}

/** Exit code 1 when any decision would flip (so CI can ask for a second look), 0 otherwise. */
export async function policyImpact(opts: PolicyImpactOptions): Promise<{ stdout: string; exitCode: number }> {
  const folders = [policyFolder(opts.base, '--base'), policyFolder(opts.head, '--head')];
  const entries: LedgerEntry[] = [];
  for (const file of opts.ledgers) entries.push(...(await readJsonLines(file)));
  const { inputs, skipped } = recordedInputs(entries, { limit: opts.limit ?? DEFAULT_IMPACT_LIMIT });
  const [base, head] = await Promise.all(folders.map(async (folder) => policySetOf(await readPolicyPaths([folder], { relativeTo: folder }))));
  const report = compareDecisions(base, head, inputs);
  return { stdout: renderImpactText(report, { skipped: skipped.length }), exitCode: report.flips.length ? 1 : 0 };
}

/** A policies folder, or an org config checkout holding `unwind/policies/`. */
function policyFolder(dir: string, option: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${option} ${dir}: not a directory (pass a policies folder or an org config checkout)`);
  const nested = join(dir, 'unwind', 'policies');
  return existsSync(nested) && statSync(nested).isDirectory() ? nested : dir;
}

/** One ledger entry per line, as `unwind audit` writes them; a bad line stops with its file and line number. */
async function readJsonLines(file: string): Promise<LedgerEntry[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`--ledgers ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  });
  const out: LedgerEntry[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (err) {
      throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message}); expected one ledger entry per line, as \`unwind audit\` exports`);
    }
    const parsed = LedgerEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}:${i + 1}: not a ledger entry (${issue.path.join('.') || '(entry)'}: ${issue.message})`);
    }
    out.push(parsed.data);
  }
  return out;
}

/** Registered under `unwind policy` (see policy.ts). */
export function registerPolicyImpact(policy: Command): void {
  policy
    .command('impact')
    .description('Replay the policy inputs recorded in exported ledgers under two versions of the policies and list every decision that would flip (allow/pending/deny, approvals).')
    .requiredOption('--base <dir>', 'the policies in force: a policies folder or an org config checkout (unwind/policies/)')
    .requiredOption('--head <dir>', 'the changed policies, same forms as --base')
    .requiredOption('--ledgers <file>', 'ledger entries as JSON Lines (`unwind audit` output); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--limit <n>', `replay the last N rollbacks (default ${DEFAULT_IMPACT_LIMIT})`, positiveInteger)
    .addHelpText('after', '\nExits 1 when any decision would flip, 0 when none would.')
    .action(async (o: { base: string; head: string; ledgers: string[]; limit?: number }) => {
      const out = await policyImpact({ base: o.base, head: o.head, ledgers: o.ledgers, limit: o.limit });
      process.stdout.write(out.stdout);
      process.exitCode = out.exitCode;
    });
}
