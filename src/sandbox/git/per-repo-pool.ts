/**
 * Long-lived git helpers (a `cat-file`, `update-ref` or `mktree` process), one per repository. The Map's
 * order is least recently used first: beyond `max`, the oldest retires.
 */
import path from 'node:path';

export class PerRepoPool<T extends { retire(): void }> {
  private readonly byDir = new Map<string, T>();

  constructor(
    private readonly max: number,
    private readonly create: (gitDir: string) => T,
  ) {}

  /** The helper of `gitDir`, started if there is none. */
  get(gitDir: string): T {
    const key = path.resolve(gitDir);
    const helper = this.byDir.get(key) ?? this.create(key);
    this.byDir.delete(key); // re-inserted: now the most recently used
    this.byDir.set(key, helper);
    while (this.byDir.size > this.max) {
      const [oldestKey, oldest] = this.byDir.entries().next().value as [string, T];
      this.byDir.delete(oldestKey);
      oldest.retire();
    }
    return helper;
  }

  /** Takes out the helpers of every repository under `dir` and ends each with `end` (a sandbox closing). */
  closeUnder(dir: string, end: (helper: T) => void): void {
    const root = path.resolve(dir) + path.sep;
    for (const [key, helper] of [...this.byDir]) {
      if (!key.startsWith(root)) continue;
      this.byDir.delete(key);
      end(helper);
    }
  }
}
