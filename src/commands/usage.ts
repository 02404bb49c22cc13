import { TARGET_FORMS } from './parse-target.ts';

export type SubcommandName = 'rollback' | 'plan' | 'approve' | 'abort' | 'cancel' | 'retry' | 'status' | 'drill' | 'help';
export type FlagName = '--reason' | '--dry-run' | '--override';

export interface SubcommandSpec {
  readonly usage: string;
  readonly summary: string;
  readonly flags: readonly FlagName[];
  /** What the positional words are. */
  readonly args: 'targets' | 'id' | 'none';
}

export const SUBCOMMANDS: Readonly<Record<SubcommandName, SubcommandSpec>> = {
  rollback: {
    usage: '/rollback [targets…] [--reason "…"] [--dry-run] [--override "reason"]…',
    summary: 'Roll back the pull request this is commented on, or the named targets, and everything that depends on them.',
    flags: ['--reason', '--dry-run', '--override'],
    args: 'targets',
  },
  plan: {
    usage: '/rollback plan [targets…] [--reason "…"]',
    summary: 'Show the plan and the policy decision without changing anything (a dry run).',
    flags: ['--reason'],
    args: 'targets',
  },
  approve: { usage: '/rollback approve [rb-id]', summary: 'Approve a pending rollback (not your own).', flags: [], args: 'id' },
  abort: {
    usage: '/rollback abort [rb-id] [--reason "…"]',
    summary: 'Stop a rollback: open revert PRs are closed and their branches deleted.',
    flags: ['--reason'],
    args: 'id',
  },
  cancel: {
    usage: '/rollback cancel [rb-id] [--reason "…"]',
    summary: 'Stop an announced automatic revert during its veto window (the PR author or anyone with write access).',
    flags: ['--reason'],
    args: 'id',
  },
  retry: { usage: '/rollback retry [rb-id]', summary: 'Resume a stopped rollback from the wave where it stopped.', flags: [], args: 'id' },
  status: { usage: '/rollback status [rb-id]', summary: 'Report the state of a rollback and each of its steps.', flags: [], args: 'id' },
  drill: {
    usage: '/rollback drill [targets…] [--reason "…"]',
    summary: 'Rehearse a rollback end to end on copies of the repositories, merging nothing.',
    flags: ['--reason'],
    args: 'targets',
  },
  help: { usage: '/rollback help', summary: 'Show this help.', flags: [], args: 'none' },
};

export const SUBCOMMAND_NAMES = Object.keys(SUBCOMMANDS).filter((n) => n !== 'rollback') as SubcommandName[];
export const FLAG_NAMES: readonly FlagName[] = ['--reason', '--dry-run', '--override'];

/** Markdown help listing every command, the target forms and the options. */
export function helpText(): string {
  const rows = Object.values(SUBCOMMANDS).map((s) => `| \`${s.usage}\` | ${s.summary} |`);
  return [
    '### Unwind commands',
    '',
    '| command | what it does |',
    '|---|---|',
    ...rows,
    '',
    `**Targets** are ${TARGET_FORMS}, separated by spaces. Without targets, the pull request this comment is on is the target.`,
    '',
    '**Options**: `--reason "…"` (or `--reason=…`) records why; `--dry-run` stops after the plan and the policy decision; ' +
      '`--override "reason"` overrides a soft policy denial (repeatable, only for those the policy allows).',
    '',
    'Rollback ids look like `rb-` followed by at least 8 lowercase letters or digits; without an id, the rollback of this issue or pull request is meant.',
  ].join('\n');
}
