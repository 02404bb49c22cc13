import type { GitHubPort } from '../github/port.ts';
import { parseRepo } from '../shared/repo-name.ts';
import type { RollbackState } from './state.ts';
import { renderTrackingBody } from './tracking-issue.ts';

/** Writes the tracking issue body when the rendered state changed. */
export class StateSaver {
  private last: string | null = null;
  constructor(private readonly port: GitHubPort) {}

  async save(state: RollbackState): Promise<void> {
    const body = renderTrackingBody(state);
    if (body === this.last) return;
    await this.port.updateIssue(parseRepo(state.tracking.repo), state.tracking.number, {
      body,
      ...(state.status === 'completed' || state.status === 'aborted' || state.status === 'denied' ? { state: 'closed' as const } : {}),
    });
    this.last = body;
  }
}
