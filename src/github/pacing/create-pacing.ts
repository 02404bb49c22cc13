/**
 * Pacing for one process: the pacer over a local budget, or over Redis shared by every replica when
 * `redisUrl` is given, plus the conditional-request cache; handed to Octokit as the options of
 * `pacingPlugin` (see `pacingOptions`).
 */
import { LocalBudget } from './budget.ts';
import { ConditionalCache } from './conditional-cache.ts';
import { GITHUB_LIMITS, type PacingLimits } from './limits.ts';
import { Pacer, type PacerLog } from './pacer.ts';
import { RedisBudget } from './redis-budget.ts';

export interface PacingSettings {
  /** Share the budget through Redis (`REDIS_URL`); absent: this process alone. */
  readonly redisUrl?: string;
  /** GitHub's published limits unless overridden (tests shrink them). */
  readonly limits?: Partial<PacingLimits>;
  /** Separates GitHub instances sharing one Redis: the API's base URL. */
  readonly baseUrl: string;
  readonly log?: PacerLog;
}

export interface Pacing {
  readonly pacer: Pacer;
  readonly conditional: ConditionalCache;
  close(): Promise<void>;
}

export function createPacing(s: PacingSettings): Pacing {
  const limits = { ...GITHUB_LIMITS, ...s.limits };
  const budget = s.redisUrl
    ? new RedisBudget(s.redisUrl, limits, new URL(s.baseUrl).host, (err) => s.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'REDIS_URL cannot be reached: this replica paces by its own budget until it can'))
    : new LocalBudget(limits);
  const pacer = new Pacer(budget, s.log ?? null);
  return { pacer, conditional: new ConditionalCache(), close: () => pacer.close() };
}
