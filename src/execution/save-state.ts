import type { GitHubPort } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { RollbackState } from './state.ts';
import { renderTrackingBody } from './tracking-issue.ts';
import type { Keyring } from '../trust/keyring.ts';

/**
 * Writes the tracking issue body when the rendered state changed. Requests coalesce: while one
 * write is in flight, any number of further requests become a single write of the latest state
 * (GitHub paces writes, so several steps changing at once cost one PATCH, not one each).
 */
export class StateSaver {
  private last: string | null = null;
  private inflight: Promise<void> | null = null;
  private again = false;
  private failure: unknown = null;

  constructor(
    private readonly port: GitHubPort,
    private readonly keyring: Keyring,
  ) {}

  /** Writes now (after any write in flight) and waits; throws if the write fails. */
  async save(state: RollbackState): Promise<void> {
    this.request(state);
    await this.flush();
  }

  /** Asks for a write without waiting for it. */
  request(state: RollbackState): void {
    if (this.inflight) {
      this.again = true;
      return;
    }
    this.inflight = this.run(state).finally(() => (this.inflight = null));
  }

  /** Waits until every requested write is done; rethrows the first failure since the last flush. */
  async flush(): Promise<void> {
    while (this.inflight) await this.inflight;
    if (this.failure) {
      const err = this.failure;
      this.failure = null;
      throw err;
    }
  }

  private async run(state: RollbackState): Promise<void> {
    do {
      this.again = false;
      try {
        await this.write(state);
      } catch (err) {
        this.failure ??= err;
      }
    } while (this.again);
  }

  private async write(state: RollbackState): Promise<void> {
    const body = renderTrackingBody(state, this.keyring);
    if (body === this.last) return;
    await this.port.updateIssue(parseRepo(state.tracking.repo), state.tracking.number, {
      body,
      ...(state.status === 'completed' || state.status === 'aborted' || state.status === 'denied' ? { state: 'closed' as const } : {}),
    });
    this.last = body;
  }
}
