/**
 * Short-lived git commands, started by a small helper process instead of by this one. Starting a process
 * blocks its parent's event loop for the fork, and the fork of a large process costs more: 6 ms from a small
 * Node process and 11 ms from one of 400 MB on the 2-core machine (measured). The sandbox shares its process
 * with Unwind in tests and in the benchmark, where one rollback run started ~800 gits: 8 s of the main thread,
 * measured with `node --cpu-prof`, during which neither GitHub nor Unwind answered anything. The helper
 * (spawner-child.mjs) is small, and its forks block only itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SpawnRequest {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly input: string | Buffer;
}

export interface SpawnResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

type Reply = { id: number; error: string } | { id: number; code: number; stdout: Uint8Array; stderr: string };

const CHILD = fileURLToPath(new URL('./spawner-child.mjs', import.meta.url));

class Spawner {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: SpawnResult) => void; reject: (e: Error) => void }>();

  run(req: SpawnRequest): Promise<SpawnResult> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise<SpawnResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // While a command runs, its answer keeps this process alive; idle, the helper does not.
      if (this.pending.size === 1) child.channel?.ref();
      child.send({ id, file: 'git', argv: req.argv, env: req.env, input: req.input }, (err) => {
        if (err) this.settle(id, (p) => p.reject(new Error(`sandbox git spawner: could not send a command: ${err.message}`)));
      });
    });
  }

  private start(): ChildProcess {
    // Plain node, not this process's loaders (tsx): the helper is JavaScript and should start small.
    const child = fork(CHILD, [], { execArgv: [], env: { PATH: process.env.PATH ?? '' }, serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.on('message', (reply: Reply) => {
      this.settle(reply.id, (p) => {
        if ('error' in reply) p.reject(new Error(`sandbox git spawner: ${reply.error}`));
        else p.resolve({ code: reply.code, stdout: Buffer.from(reply.stdout.buffer, reply.stdout.byteOffset, reply.stdout.byteLength), stderr: reply.stderr });
      });
    });
    const gone = (why: string): void => {
      if (this.child !== child) return;
      this.child = null;
      const failed = [...this.pending.values()];
      this.pending.clear();
      for (const p of failed) p.reject(new Error(`sandbox git spawner ${why}`));
    };
    child.on('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    child.on('error', (err) => gone(`failed: ${err.message}`));
    child.unref();
    child.channel?.unref();
    this.child = child;
    return child;
  }

  private settle(id: number, how: (p: { resolve: (r: SpawnResult) => void; reject: (e: Error) => void }) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.child?.channel?.unref();
    how(p);
  }
}

const shared = new Spawner();

/** Runs `git ...argv` to completion (never through a shell): its exit code and output. */
export function spawnGit(req: SpawnRequest): Promise<SpawnResult> {
  return shared.run(req);
}
