/** A sleep that can be cut short: `wait(ms)` resolves after ms or as soon as `wake()` is called. */
export class Waker {
  private pending: Array<() => void> = [];
  private woken = false;

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
      const timer = setTimeout(done, ms);
      this.pending.push(done);
    });
  }

  wake(): void {
    if (this.pending.length === 0) this.woken = true;
    for (const p of [...this.pending]) p();
  }
}
