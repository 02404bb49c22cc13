/** Tracks background work (webhook deliveries, CI jobs, mergeability) so `idle()` can wait for all of it. */
export interface JobTracker {
  /** Runs fn in the background; errors are passed to onError. */
  run(name: string, fn: () => Promise<void>): void;
  /** Runs fn after delayMs (tracked while waiting). */
  later(name: string, delayMs: number, fn: () => Promise<void>): void;
  idle(): Promise<void>;
  /** Cancels pending timers (used at close). */
  cancelTimers(): void;
  pending(): number;
}

export function createJobTracker(onError: (name: string, err: unknown) => void): JobTracker {
  const running = new Set<Promise<void>>();
  const timers = new Map<NodeJS.Timeout, () => void>();
  const track = (name: string, fn: () => Promise<void>): Promise<void> => {
    const p: Promise<void> = (async () => {
      try {
        await fn();
      } catch (err) {
        onError(name, err);
      }
    })().finally(() => running.delete(p));
    running.add(p);
    return p;
  };
  return {
    run(name, fn) {
      void track(name, fn);
    },
    later(name, delayMs, fn) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      void track(name, async () => {
        await gate;
      });
      const t = setTimeout(() => {
        timers.delete(t);
        void track(name, fn).finally(release);
      }, Math.max(0, delayMs));
      timers.set(t, release);
    },
    async idle() {
      for (let i = 0; i < 10_000 && running.size > 0; i++) {
        await Promise.allSettled([...running]);
      }
    },
    cancelTimers() {
      for (const [t, release] of timers) {
        clearTimeout(t);
        release();
      }
      timers.clear();
    },
    pending() {
      return running.size;
    },
  };
}
