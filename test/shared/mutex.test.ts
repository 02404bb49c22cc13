import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../src/shared/map-bounded.ts';
import { Mutex } from '../../src/shared/mutex.ts';

describe('mapBounded', () => {
  it('keeps order and never exceeds the bound', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 4, 2, 3], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('lets calls in flight finish before throwing the first failure, and starts no new one', async () => {
    const finished: number[] = [];
    const started: number[] = [];
    const run = mapBounded([1, 2, 3, 4], 2, async (n) => {
      started.push(n);
      if (n === 1) throw new Error('boom');
      await new Promise((r) => setTimeout(r, 20));
      finished.push(n);
      return n;
    });
    await expect(run).rejects.toThrow('boom');
    expect(finished).toEqual([2]);
    expect(started).toEqual([1, 2]);
  });
});

describe('Mutex', () => {
  it('runs callbacks one at a time in call order, even after a failure', async () => {
    const m = new Mutex();
    const log: string[] = [];
    const a = m.run(async () => {
      await new Promise((r) => setTimeout(r, 10));
      log.push('a');
    });
    const b = m.run(async () => {
      log.push('b');
      throw new Error('b failed');
    });
    const c = m.run(async () => void log.push('c'));
    await Promise.allSettled([a, b, c]);
    expect(log).toEqual(['a', 'b', 'c']);
  });
});
