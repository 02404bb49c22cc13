/**
 * One long-lived `git cat-file --batch-command` per bare repository for object reads and ref lookups.
 *
 * Why: starting a git process costs the sandbox 10–30 ms of its own event loop (fork of a large process),
 * and a REST write used to start 30–70 of them, most only to resolve a name or read a commit. A batch
 * process answers the same lookups in well under a millisecond.
 *
 * Freshness: cat-file reads a loose ref's file on every lookup, re-checks packed-refs by stat, and rescans
 * the pack directory when a full object id is not found, so refs moved and objects written by other git
 * processes (pushes, update-ref, commit-tree) are seen. Abbreviated object ids are NOT safe here (git
 * caches loose-object directory listings for them), so callers only send names `isBatchSafeName` accepts
 * and ask `git rev-parse` about everything else.
 *
 * Readers close themselves after a while without requests and at most MAX_READERS stay open (least
 * recently used closed first), so a sandbox with thousands of repositories does not hold thousands of
 * processes; `closeObjectReaders(dir)` ends those of one sandbox when it closes.
 */
import { PerRepoPool } from './per-repo-pool.ts';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { gitEnv } from './git-env.ts';
import { countGitSpawn } from './run-git.ts';

export interface ObjectInfo {
  oid: string;
  type: 'commit' | 'tree' | 'blob' | 'tag';
  size: number;
}

export interface ObjectContents extends ObjectInfo {
  data: Buffer;
}

const IDLE_CLOSE_MS = 10_000;
const MAX_READERS = 64;
const FULL_SHA = /^[0-9a-f]{40}$/;
const FULL_REF = /^refs\/[A-Za-z0-9._\/+@-]+$/;

/**
 * Names the batch process resolves exactly as `git rev-parse` does: a full object id or a full ref name,
 * optionally peeled (`^{commit}`, `^{tree}`) or followed by `:<path>`. Not abbreviated ids (see above).
 */
export function isBatchSafeName(name: string): boolean {
  const colon = name.indexOf(':');
  const rev = (colon === -1 ? name : name.slice(0, colon)).replace(/\^\{(commit|tree)\}$/, '');
  if (/[\x00-\x1f\x7f]/.test(name)) return false;
  return FULL_SHA.test(rev) || (FULL_REF.test(rev) && !rev.includes('..') && !rev.includes('@{'));
}

interface Pending {
  contents: boolean;
  resolve: (value: ObjectContents | ObjectInfo | null) => void;
  reject: (err: Error) => void;
}

class ObjectReader {
  private child: ChildProcessWithoutNullStreams | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly queue: Pending[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  /** Evicted while answers were pending: closes once they are in. */
  private closeWhenDrained = false;

  constructor(readonly gitDir: string) {}

  request(command: 'info' | 'contents', name: string): Promise<ObjectContents | ObjectInfo | null> {
    const child = this.start();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    (child.stdout as Socket).ref(); // an answer is awaited: keep the event loop alive for it
    return new Promise((resolve, reject) => {
      this.queue.push({ contents: command === 'contents', resolve, reject });
      child.stdin.write(`${command} ${name}\n`);
    });
  }

  /** Closes now, or after the pending answers when there are any. */
  retire(): void {
    if (this.queue.length === 0) this.close();
    else this.closeWhenDrained = true;
  }

  close(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const child = this.child;
    this.child = null;
    if (child) child.stdin.end();
    this.fail(new Error(`git cat-file for ${this.gitDir} was closed`));
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const args = ['cat-file', '--batch-command'];
    countGitSpawn(args);
    const child = spawn('git', [`--git-dir=${this.gitDir}`, ...args], { env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.child !== child) return; // a closed process's late answer: its requests were already settled
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    child.stderr.resume(); // messages such as "expected commit type" accompany a `missing` answer; not needed
    child.stdin.on('error', () => {}); // the exit handler rejects what is pending
    child.on('error', (err) => this.lost(child, err));
    child.on('exit', (code, signal) => this.lost(child, new Error(`git cat-file for ${this.gitDir} exited (${code ?? signal})`)));
    child.unref();
    (child.stdin as unknown as Socket).unref();
    (child.stderr as Socket).unref();
    return child;
  }

  private lost(child: ChildProcessWithoutNullStreams, err: Error): void {
    if (this.child !== child) return; // an earlier process, closed on purpose: its requests were settled then
    this.child = null;
    this.fail(err);
  }

  private fail(err: Error): void {
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  /** Parses as many complete answers as the buffer holds, in request order. */
  private drain(): void {
    while (this.queue.length > 0) {
      const newline = this.buffer.indexOf(10);
      if (newline === -1) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      const next = this.queue[0];
      const fields = header.split(' ');
      const found = fields.length === 3 && FULL_SHA.test(fields[0]) && /^\d+$/.test(fields[2]);
      if (!found) {
        // `<name> missing` or `<name> ambiguous`
        this.buffer = this.buffer.subarray(newline + 1);
        this.queue.shift();
        next.resolve(null);
        continue;
      }
      const info: ObjectInfo = { oid: fields[0], type: fields[1] as ObjectInfo['type'], size: Number(fields[2]) };
      if (!next.contents) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.queue.shift();
        next.resolve(info);
        continue;
      }
      const end = newline + 1 + info.size;
      if (this.buffer.length < end + 1) return; // contents and their trailing newline not all here yet
      const data = Buffer.from(this.buffer.subarray(newline + 1, end));
      this.buffer = this.buffer.subarray(end + 1);
      this.queue.shift();
      next.resolve({ ...info, data });
    }
    if (this.queue.length === 0 && this.child) {
      if (this.closeWhenDrained) return this.close();
      (this.child.stdout as Socket).unref();
      this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
      this.idleTimer.unref();
    }
  }
}

const readers = new PerRepoPool(MAX_READERS, (gitDir) => new ObjectReader(gitDir));

function readerFor(gitDir: string): ObjectReader {
  return readers.get(gitDir);
}

/** Type, size and id of the object `name` names (see isBatchSafeName), or null when there is none. */
export function objectInfo(gitDir: string, name: string): Promise<ObjectInfo | null> {
  if (!isBatchSafeName(name)) throw new Error(`object-reader: not a batch-safe name: ${JSON.stringify(name)}`);
  return readerFor(gitDir).request('info', name) as Promise<ObjectInfo | null>;
}

/** The object `name` names with its contents, or null when there is none. */
export function objectContents(gitDir: string, name: string): Promise<ObjectContents | null> {
  if (!isBatchSafeName(name)) throw new Error(`object-reader: not a batch-safe name: ${JSON.stringify(name)}`);
  return readerFor(gitDir).request('contents', name) as Promise<ObjectContents | null>;
}

/** Ends the readers of every repository under `dir` (a sandbox closing). */
export function closeObjectReaders(dir: string): void {
  readers.closeUnder(dir, (reader) => reader.close());
}
