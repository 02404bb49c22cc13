/**
 * A Map that forgets its least recently used entries beyond `max`. For facts about immutable git objects
 * (a commit's fields, the files between two commits, whether one commit is an ancestor of another), which
 * can be kept as long as memory allows and never go stale.
 */
import path from 'node:path';

const FULL_SHA = /^[0-9a-f]{40}$/;

/** A cache key for facts about full object ids in one repository; null (do not cache) for any other name. */
export function objectsKey(gitDir: string, ...ids: string[]): string | null {
  return ids.every((id) => FULL_SHA.test(id)) ? [path.resolve(gitDir), ...ids].join('\0') : null;
}

export class BoundedCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  /** The cached value, or `compute()`'s (cached when it resolves; a failure is not cached). Null key: not cached. */
  async getOrCompute(key: string | null, compute: () => Promise<V>): Promise<V> {
    if (key === null) return compute();
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const value = await compute();
    this.set(key, value);
    return value;
  }
}
