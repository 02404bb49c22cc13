/**
 * A sleep that can be cut short: `wait(ms)` resolves after ms or as soon as `wake()` is called.
 *
 * It also keeps what woke it: `wake(topic)` names what changed (a run loop's topics are repositories), `wake()`
 * says anything may have, and so does a wait that ran its full time (the fallback poll). `changes()` hands over
 * what was reported since it was last asked, so a loop can leave alone what no report touched.
 */
export class Waker {
  private pending: Array<() => void> = [];
  private woken = false;
  private changed: Set<string> | 'all' = 'all';

  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pending = this.pending.filter((p) => p !== done);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changed = 'all';
        done();
      }, ms);
      this.pending.push(done);
    });
  }

  /** `topic`: what changed (lower case); none: anything may have. */
  wake(topic?: string): void {
    if (topic === undefined) this.changed = 'all';
    else if (this.changed !== 'all') this.changed.add(topic);
    if (this.pending.length === 0) this.woken = true;
    for (const p of [...this.pending]) p();
  }

  /** The topics reported since the last call (`all` at first, after an untopical wake and after a full wait). */
  changes(): ReadonlySet<string> | 'all' {
    const out = this.changed;
    this.changed = new Set();
    return out;
  }
}
