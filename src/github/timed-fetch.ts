/**
 * A request to GitHub gives up after REQUEST_TIMEOUT_MS (Node's fetch waits 300 s for headers and for ever for a
 * body): a hung request becomes an error (Octokit reports it as a 500, which the loop retries or reports), never a
 * rollback that waits with no word.
 */
export const REQUEST_TIMEOUT_MS = 60_000;

/** `base` with a deadline of `ms` on every request, alongside any signal the caller gave. */
export function timedFetch(base: typeof fetch, ms: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    return base(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
}
