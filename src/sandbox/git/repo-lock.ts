import path from 'node:path';

const tails = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding the async lock of one repository (keyed by its resolved path), so ref
 * writes and push snapshots in this process never interleave. Not re-entrant.
 */
export async function withRepoLock<T>(repoPath: string, fn: () => Promise<T>): Promise<T> {
  const key = path.resolve(repoPath);
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
