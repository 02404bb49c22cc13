/**
 * Conditional polling: the GETs a waiting rollback repeats (a pull request's state, a commit's check runs,
 * combined status and workflow runs) are sent with `If-None-Match` and the ETag of the last answer; GitHub
 * answers an unchanged resource with an empty `304 Not Modified` that costs no primary rate limit, and the
 * cached answer is returned instead. Webhooks wake a waiting rollback; these polls are only the fallback.
 * Entries are per installation and URL, at most `max` of them (the oldest go first).
 */
type Route = { headers?: Record<string, unknown> } & Record<string, unknown>;
type Answer = { status: number; headers: Record<string, unknown>; data: unknown };
type Send = (options: Route) => Promise<Answer>;

export const POLLED_ROUTES: readonly string[] = [
  '/repos/{owner}/{repo}/pulls/{pull_number}',
  '/repos/{owner}/{repo}/commits/{ref}/check-runs',
  '/repos/{owner}/{repo}/commits/{ref}/status',
  '/repos/{owner}/{repo}/actions/runs',
];

export class ConditionalCache {
  private readonly entries = new Map<string, { etag: string; answer: Answer }>();
  private notModified = 0;

  constructor(private readonly max = 1000) {}

  /** 304 answers turned back into the cached answer so far. */
  hits(): number {
    return this.notModified;
  }

  /** `urlOf`: the request's full URL (Octokit's `request.endpoint`), to key the entry. */
  async send(key: string, method: string, template: string, route: Route, send: Send, urlOf: (route: Route) => string): Promise<Answer> {
    if (method !== 'GET' || !POLLED_ROUTES.includes(template)) return send(route);
    const id = `${key} ${urlOf(route)}`;
    const cached = this.entries.get(id);
    // In place: Octokit's request hooks each receive the one options object (before-after-hook binds it),
    // so a copy would not reach the wire.
    if (cached) route.headers = Object.assign(route.headers ?? {}, { 'if-none-match': cached.etag });
    let answer: Answer;
    try {
      answer = await send(route);
    } catch (err) {
      // Octokit throws on 304 (a RequestError with status 304).
      if (cached && (err as { status?: unknown }).status === 304) {
        this.notModified += 1;
        this.entries.delete(id);
        this.entries.set(id, cached);
        return cached.answer;
      }
      throw err;
    }
    const etag = answer.headers.etag;
    this.entries.delete(id);
    if (typeof etag === 'string' && answer.status === 200) {
      this.entries.set(id, { etag, answer });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return answer;
  }
}
