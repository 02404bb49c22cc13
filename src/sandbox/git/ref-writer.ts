/**
 * Ref writes through one long-lived `git update-ref --stdin` per bare repository: each write is one
 * transaction (`start`, `update`/`delete`, `commit`), answered `start: ok` / `commit: ok`, with git's own
 * locking and compare-and-swap, exactly as `git update-ref <ref> <new> [<old>]` does it, without starting
 * a process per write (a spawn costs the sandbox 10–30 ms of its event loop).
 *
 * A refused transaction (a failed compare-and-swap, a bad name) makes git print `fatal: …` and exit; the
 * write is answered with that exit code and message, as a one-off `update-ref` would answer it, and the next
 * write starts a new process. Writes to one repository go one at a time (callers hold the repository lock
 * anyway). Idle writers close after a while, and closeRefWriters(dir) ends a sandbox's writers.
 */
import { PerRepoPool } from './per-repo-pool.ts';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { gitEnv } from './git-env.ts';
import { countGitSpawn } from './run-git.ts';

export interface RefWriteResult {
  /** 0 when the transaction committed, git's exit code otherwise */
  code: number;
  stderr: string;
}

/**
 * A writer idle this long closes. A minute, not seconds: starting one again forks this (large) process on its
 * event loop, 4-30 ms during which the sandbox answers nothing, and a repository written to is likely written to
 * again within minutes (a PR's branch, its merge; a rollback's revert and merge two CI runs apart). At most
 * MAX_WRITERS stay open.
 */
const IDLE_CLOSE_MS = 60_000;
const MAX_WRITERS = 32;

interface Job {
  commands: string;
  resolve: (r: RefWriteResult) => void;
}

class RefWriter {
  private child: ChildProcessWithoutNullStreams | null = null;
  private out = '';
  private err = '';
  private current: Job | null = null;
  private readonly waiting: Job[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private retired = false;

  constructor(readonly gitDir: string) {}

  write(commands: string): Promise<RefWriteResult> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    return new Promise((resolve) => {
      this.waiting.push({ commands, resolve });
      this.next();
    });
  }

  retire(): void {
    this.retired = true;
    if (!this.current && this.waiting.length === 0) this.close();
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.child;
    this.child = null;
    child?.stdin.end();
  }

  private next(): void {
    if (this.current) return;
    const job = this.waiting.shift();
    if (!job) {
      if (this.retired) return this.close();
      if (this.child) (this.child.stdout as Socket).unref();
      this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
      this.idleTimer.unref();
      return;
    }
    this.current = job;
    const child = this.start();
    (child.stdout as Socket).ref(); // an answer is awaited
    this.out = '';
    this.err = '';
    child.stdin.write(`start\n${job.commands}commit\n`);
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const args = ['update-ref', '--stdin'];
    countGitSpawn(args);
    const child = spawn('git', [`--git-dir=${this.gitDir}`, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return;
      this.out += chunk.toString('utf8');
      if (this.out.includes('commit: ok\n')) this.finish({ code: 0, stderr: this.err });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (this.child === child) this.err += chunk.toString('utf8');
    });
    child.stdin.on('error', () => {}); // the exit handler answers
    child.on('error', (e) => this.died(child, { code: -1, stderr: String(e) }));
    child.on('close', (code, signal) => this.died(child, { code: code ?? -1, stderr: this.err || `git update-ref exited (${code ?? signal})` }));
    child.unref();
    (child.stdin as unknown as Socket).unref();
    (child.stderr as Socket).unref();
    return child;
  }

  private died(child: ChildProcessWithoutNullStreams, result: RefWriteResult): void {
    if (this.child !== child) return; // closed on purpose, with nothing pending
    this.child = null;
    // A transaction git refused: it printed `fatal: …` and exited before `commit: ok`.
    this.finish(result.code === 0 ? { code: -1, stderr: result.stderr || 'git update-ref exited before committing' } : result);
  }

  private finish(result: RefWriteResult): void {
    const job = this.current;
    this.current = null;
    job?.resolve(result);
    this.next();
  }
}

const writers = new PerRepoPool(MAX_WRITERS, (gitDir) => new RefWriter(gitDir));

function writerFor(gitDir: string): RefWriter {
  return writers.get(gitDir);
}

/** `update-ref <ref> <new> [<old>]` as one transaction (old: the zero id = must not exist). */
export function updateRefTransaction(gitDir: string, ref: string, newSha: string, oldSha?: string): Promise<RefWriteResult> {
  return writerFor(gitDir).write(`update ${ref} ${newSha}${oldSha === undefined ? '' : ` ${oldSha}`}\n`);
}

/** `update-ref -d <ref> <old>` as one transaction. */
export function deleteRefTransaction(gitDir: string, ref: string, oldSha: string): Promise<RefWriteResult> {
  return writerFor(gitDir).write(`delete ${ref} ${oldSha}\n`);
}

/** Ends the writers of every repository under `dir` (a sandbox closing). */
export function closeRefWriters(dir: string): void {
  writers.closeUnder(dir, (writer) => writer.retire());
}
