/** A check_run or status webhook's result, noted for the rollbacks waiting on that commit (see CheckSightings). */
import { checkRunSighting, statusSighting, type CheckSightings } from '../github/check-sightings.ts';

interface RepoPayload {
  readonly repository?: { readonly name?: unknown; readonly owner?: { readonly login?: unknown } };
}

export function noteSighting(sightings: CheckSightings, event: string, payload: unknown): void {
  const p = payload as RepoPayload & Record<string, unknown>;
  const owner = p.repository?.owner?.login;
  const name = p.repository?.name;
  if (typeof owner !== 'string' || typeof name !== 'string') return;
  const repo = { owner, repo: name };
  if (event === 'check_run') {
    const run = p.check_run as { id?: unknown; name?: unknown; head_sha?: unknown; status?: unknown; conclusion?: unknown; html_url?: unknown } | undefined;
    if (!run || typeof run.id !== 'number' || typeof run.name !== 'string' || typeof run.head_sha !== 'string' || typeof run.status !== 'string') return;
    const conclusion = typeof run.conclusion === 'string' ? run.conclusion : null;
    sightings.record(repo, run.head_sha, run.name, checkRunSighting({ id: run.id, status: run.status, conclusion, html_url: typeof run.html_url === 'string' ? run.html_url : null }));
  } else if (event === 'status') {
    if (typeof p.id !== 'number' || typeof p.sha !== 'string' || typeof p.context !== 'string' || typeof p.state !== 'string') return;
    sightings.record(repo, p.sha, p.context, statusSighting({ id: p.id, state: p.state, target_url: typeof p.target_url === 'string' ? p.target_url : null }));
  }
}
