import { describe, expect, it } from 'vitest';
import { Waker } from '../../src/shared/waker.ts';

describe('Waker', () => {
  it('reports everything at first, then the topics woken with, then everything after an untopical wake', async () => {
    const w = new Waker();
    expect(w.changes()).toBe('all');
    expect(w.changes()).toEqual(new Set());
    w.wake('o/a');
    w.wake('o/b');
    await w.wait(60_000); // woken before the wait: returns at once
    expect(w.changes()).toEqual(new Set(['o/a', 'o/b']));
    w.wake('o/a');
    w.wake();
    expect(w.changes()).toBe('all');
  });

  it('a wait that runs its full time reports everything (the fallback poll reads all)', async () => {
    const w = new Waker();
    w.changes();
    await w.wait(1);
    expect(w.changes()).toBe('all');
  });

  it('a topical wake cuts a wait short', async () => {
    const w = new Waker();
    w.changes();
    const waiting = w.wait(60_000);
    w.wake('o/a');
    await waiting;
    expect(w.changes()).toEqual(new Set(['o/a']));
  });
});
