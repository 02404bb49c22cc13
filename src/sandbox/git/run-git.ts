import { spawn } from 'node:child_process';
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

/** Runs `git --git-dir=<gitDir> ...args` with an argv array (never a shell) and a filtered env. */
export function runGit(args: readonly string[], opts: RunGitOptions): Promise<GitResult> {
  countGitSpawn(args);
  const argv = [`--git-dir=${opts.gitDir}`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('git', argv, { env: gitEnv({}, opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.stdin.on('error', () => {}); // EPIPE when git exits before reading all input; the exit code tells
    child.on('close', (code) => {
      const result: GitResult = { code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') };
      if ((opts.okCodes ?? [0]).includes(result.code)) resolve(result);
      else reject(new GitCommandError({ args, exitCode: code, stderr: result.stderr, cwd: opts.gitDir }));
    });
    child.stdin.end(opts.input ?? '');
  });
}
