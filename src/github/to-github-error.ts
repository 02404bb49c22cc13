import { GitHubError } from './errors.ts';

/**
 * Converts whatever Octokit threw (a `RequestError`, a network failure, anything) into a `GitHubError` carrying
 * the status, method, route template and GitHub's own message, plus the messages of a 422's `errors[]`.
 * Only the response body's message is used: request headers (and so tokens) never reach the text.
 */
export function toGitHubError(err: unknown, method: string, route: string): GitHubError {
  if (err instanceof GitHubError) return err;
  const status = statusOf(err);
  return new GitHubError(status, method, route, messageOf(err, status));
}

export function statusOf(err: unknown): number {
  if (typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number') return err.status;
  return 0;
}

function messageOf(err: unknown, status: number): string {
  const data = responseData(err);
  if (data !== null) {
    const base = typeof data.message === 'string' ? data.message : `HTTP ${status}`;
    const details = Array.isArray(data.errors) ? data.errors.map(errorText).filter((t) => t !== '') : [];
    return details.length > 0 ? `${base}: ${details.join('; ')}` : base;
  }
  if (status === 0) return `request failed before GitHub answered (${err instanceof Error ? err.message : String(err)})`;
  return err instanceof Error ? firstLine(err.message) : `HTTP ${status}`;
}

function responseData(err: unknown): { message?: unknown; errors?: unknown } | null {
  if (typeof err !== 'object' || err === null || !('response' in err)) return null;
  const response = err.response;
  if (typeof response !== 'object' || response === null || !('data' in response)) return null;
  const data = response.data;
  return typeof data === 'object' && data !== null ? (data as { message?: unknown; errors?: unknown }) : null;
}

function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (typeof e !== 'object' || e === null) return '';
  const r = e as { message?: unknown; resource?: unknown; field?: unknown; code?: unknown };
  if (typeof r.message === 'string') return r.message;
  return [r.resource, r.field, r.code].filter((x) => typeof x === 'string').join(' ');
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}
