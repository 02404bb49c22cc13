/**
 * After GitHub refused a request for a secondary limit, the requests that limit covers go one at a time
 * until one of them is answered with nobody else waiting: a refusal means the installation spent more than
 * Unwind's own count knew (another client, a limit GitHub does not publish), so the budget cannot be
 * trusted to admit a burst. Without this, every waiting request wakes when `retry-after` runs out, one
 * wins, the others are refused again, and each refusal pauses the whole installation once more.
 *
 * The scope follows GitHub's message: "blocked from content creation" holds back content-generating
 * requests only; any other secondary limit holds back every request of the installation.
 */
import type { RequestCost } from './limits.ts';

export type LimitScope = 'content' | 'all';

/** The scope a refusal's message covers. */
export function scopeOfRefusal(err: unknown): LimitScope {
  const message = String((err as { message?: unknown } | null)?.message ?? '');
  return /content creation/i.test(message) ? 'content' : 'all';
}

interface Line {
  scope: LimitScope;
  /** The end of the queue: each request chains on the one before it. */
  tail: Promise<void>;
  waiting: number;
}

export class SingleFile {
  private readonly lines = new Map<string, Line>();

  /** A refusal of `scope` for installation `key`: its requests of that scope go one at a time from now on. */
  refused(key: string, scope: LimitScope): void {
    const line = this.lines.get(key);
    if (!line) this.lines.set(key, { scope, tail: Promise.resolve(), waiting: 0 });
    else if (scope === 'all') line.scope = 'all';
  }

  /** True while requests of `cost` for `key` go one at a time. */
  covers(key: string, cost: RequestCost): boolean {
    const line = this.lines.get(key);
    return line !== undefined && (line.scope === 'all' || cost.content);
  }

  /**
   * Runs `attempt` in its turn when the line covers it, else at once. `attempt` answers whether it got
   * through (true) or was refused again (false); the line ends after a success with nobody behind it.
   */
  async run<T>(key: string, cost: RequestCost, attempt: () => Promise<{ through: boolean; value: T }>): Promise<T> {
    const line = this.lines.get(key);
    if (!line || !(line.scope === 'all' || cost.content)) return (await attempt()).value;
    line.waiting += 1;
    const before = line.tail;
    let done!: () => void;
    line.tail = new Promise<void>((resolve) => (done = resolve));
    await before;
    try {
      const r = await attempt();
      if (r.through && line.waiting === 1 && this.lines.get(key) === line) this.lines.delete(key);
      return r.value;
    } finally {
      line.waiting -= 1;
      done();
    }
  }
}
