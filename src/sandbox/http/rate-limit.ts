/** Rate-limit bookkeeping: `x-ratelimit-*` headers per credential, and the injected primary/secondary limits. */
import type { SandboxContext } from '../context.ts';
import { HttpError } from './http-error.ts';
import type { Actor } from './rest-types.ts';

interface Window {
  used: number;
  resetAt: number; // epoch seconds
}

/** One counted request: its `x-ratelimit-*` headers, and a way to take the count back. */
export interface RateCharge {
  headers: Record<string, string>;
  /**
   * Uncounts the request (a 304 to an authorized conditional request, which GitHub does not count against the
   * primary rate limit) and returns the headers as they now stand.
   */
  refund(): Record<string, string>;
}

export interface RateLimiter {
  /** Counts the request; throws the injected rate-limit errors; returns its headers and a refund. */
  take(actor: Actor, credential: string | null): RateCharge;
  /** Reset the fault counters (when faults change). */
  resetFaults(): void;
}

function limitFor(actor: Actor): number {
  if (actor.kind === 'anonymous') return 60;
  if (actor.kind === 'installation') return 5000;
  return 5000;
}

export function createRateLimiter(ctx: () => SandboxContext): RateLimiter {
  const windows = new Map<string, Window>();
  let faultCount = 0;
  let primaryResetAt = 0;
  let secondaryCount = 0;
  return {
    take(actor, credential) {
      const c = ctx();
      const nowS = Math.floor(c.now().getTime() / 1000);
      const key = credential ?? 'anonymous';
      let w = windows.get(key);
      if (!w || w.resetAt <= nowS) {
        w = { used: 0, resetAt: nowS + 3600 };
        windows.set(key, w);
      }
      w.used += 1;
      const window = w;
      const limit = limitFor(actor);
      const headersNow = (): Record<string, string> => ({
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - window.used)),
        'x-ratelimit-reset': String(window.resetAt),
        'x-ratelimit-used': String(window.used),
        'x-ratelimit-resource': 'core',
      });
      const headers = headersNow();
      const sec = c.faults.secondaryRateLimit;
      if (sec && sec.every > 0) {
        secondaryCount += 1;
        if (secondaryCount % sec.every === 0) {
          throw new HttpError(403, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', {
            headers: { ...headers, 'retry-after': String(sec.retryAfterSeconds) },
            documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          });
        }
      }
      const prim = c.faults.primaryRateLimit;
      let countedFault = false;
      if (prim) {
        if (primaryResetAt !== 0 && nowS >= primaryResetAt) {
          primaryResetAt = 0;
          faultCount = 0;
        }
        faultCount += 1;
        countedFault = true;
        if (primaryResetAt === 0 && faultCount > prim.afterRequests) primaryResetAt = nowS + prim.resetInSeconds;
        if (primaryResetAt !== 0) {
          const who = actor.kind === 'installation' ? `installation ID ${actor.installation.id}` : actor.kind === 'user' ? `user ID ${c.state.accounts[actor.login]?.id ?? 0}` : '127.0.0.1';
          throw new HttpError(403, `API rate limit exceeded for ${who}.`, {
            headers: { ...headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(primaryResetAt), 'x-ratelimit-used': String(limit) },
            documentationUrl: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-primary-rate-limits',
          });
        }
      }
      let refunded = false;
      return {
        headers,
        refund() {
          if (!refunded) {
            refunded = true;
            if (windows.get(key) === window && window.used > 0) window.used -= 1;
            if (countedFault && faultCount > 0) faultCount -= 1;
          }
          return headersNow();
        },
      };
    },
    resetFaults() {
      faultCount = 0;
      primaryResetAt = 0;
      secondaryCount = 0;
    },
  };
}
