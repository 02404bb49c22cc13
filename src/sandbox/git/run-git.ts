import { spawnGit } from './spawner.ts';
import { GitCommandError } from './errors.ts';
import { gitEnv } from './git-env.ts';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface RunGitOptions {
  /** the repository (bare repo path); passed as `--git-dir` */
  gitDir: string;
  input?: string | Buffer;
  /** extra environment (e.g. GIT_INDEX_FILE, GIT_AUTHOR_*) on top of the filtered one */
  env?: Record<string, string>;
  /** exit codes that are results rather than failures (default [0]) */
  okCodes?: readonly number[];
}

/** git subprocesses started by the sandbox since start, by subcommand (for benchmarks; counting costs nothing). */
const spawned = new Map<string, number>();

/** A copy of the spawn counts by git subcommand (e.g. `{ 'rev-parse': 12, 'cat-file': 3 }`). */
export function gitSpawnCounts(): Record<string, number> {
  return Object.fromEntries(spawned);
}

/** Records one git subprocess (run-git and the long-lived object readers call it). */
export function countGitSpawn(args: readonly string[]): void {
  const sub = args.find((a) => !a.startsWith('-')) ?? '(none)';
  spawned.set(sub, (spawned.get(sub) ?? 0) + 1);
}

/** Runs `git --git-dir=<gitDir> ...args` with an argv array (never a shell) and a filtered env (started by spawner.ts). */
export async function runGit(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  countGitSpawn(args);
  const result = await spawnGit({ argv: [`--git-dir=${opts.gitDir}`, ...args], env: gitEnv({}, opts.env), input: opts.input ?? '' });
  if (!(opts.okCodes ?? [0]).includes(result.code)) throw new GitCommandError({ args, exitCode: result.code, stderr: result.stderr, cwd: opts.gitDir });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}
