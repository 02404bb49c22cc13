/**
 * The budget shared by every replica through Redis (`REDIS_URL`). Probot's own Redis support clusters the
 * Bottleneck groups of Octokit's throttling plugin, which space writes by fixed times and cannot weigh a
 * request (5 points for a write, content or not); so Unwind keeps its own windows in Redis, each decision
 * one atomic Lua script on Redis's clock (replicas' clocks may differ, Redis's is one).
 *
 * Per installation: a sorted set of the last minute's requests (member `points:graphql:content:id`, score
 * the time of the answer, or the lease's end while in flight), one of the last hour's content, one of the
 * leases in flight (score: when the lease expires, so a replica that died holding slots frees them), and
 * the pause GitHub asked for.
 *
 * If Redis cannot be reached, the replica paces alone (its local budget) and says so once in the log:
 * pacing is an etiquette, and an incident tool must not stop because its cache is down; GitHub's
 * `retry-after` still holds every replica back if they overspend together.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { CONCURRENCY_RETRY_MS, LocalBudget, type Budget, type BudgetReason, type TakeResult } from './budget.ts';
import type { PacingLimits, RequestCost } from './limits.ts';

/** A replica that dies mid-request frees its slot after this long. */
const LEASE_MS = 60_000;

const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local concurrency, restLimit, gqlLimit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local contentMinute, contentHour = tonumber(ARGV[4]), tonumber(ARGV[5])
local minuteWin, hourWin = tonumber(ARGV[6]), tonumber(ARGV[7])
local points, graphql, content = tonumber(ARGV[8]), ARGV[9], ARGV[10]
local lease, leaseMs, retryMs = ARGV[11], tonumber(ARGV[12]), tonumber(ARGV[13])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - minuteWin)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - hourWin)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local paused = tonumber(redis.call('GET', KEYS[4]) or '0')
if paused > now then return {0, paused - now, 'paused'} end
if redis.call('ZCARD', KEYS[3]) + 1 > concurrency then return {0, retryMs, 'concurrency'} end
if content == '1' then
  local n = redis.call('ZCARD', KEYS[2])
  if n + 1 > contentHour then
    local oldest = redis.call('ZRANGE', KEYS[2], n - contentHour, n - contentHour, 'WITHSCORES')
    local at = tonumber(oldest[2])
    if at > now then return {0, retryMs, 'content-hour'} end
    return {0, math.max(1, at + hourWin - now), 'content-hour'}
  end
end
local spent = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
-- weight of an entry in the window being checked: content count, or points of the same API
local function weigh(member, kind)
  local p, g, c = string.match(member, '^(%d+):(%d):(%d):')
  if kind == 'content' then return tonumber(c) end
  if g == graphql then return tonumber(p) end
  return 0
end
local checks = {}
if content == '1' then table.insert(checks, {'content', contentMinute, 1, 'content-minute'}) end
if graphql == '1' then table.insert(checks, {'points', gqlLimit, points, 'graphql-points'})
else table.insert(checks, {'points', restLimit, points, 'rest-points'}) end
for _, check in ipairs(checks) do
  local kind, limit, own, reason = check[1], check[2], check[3], check[4]
  local used = 0
  for i = 1, #spent, 2 do used = used + weigh(spent[i], kind) end
  if used + own > limit then
    for i = 1, #spent, 2 do
      used = used - weigh(spent[i], kind)
      if used + own <= limit then
        local at = tonumber(spent[i + 1])
        if at > now then return {0, retryMs, reason} end
        return {0, math.max(1, at + minuteWin - now), reason}
      end
    end
    return {0, minuteWin, reason}
  end
end
-- In flight until answered: scored at the lease's end, so it stays in every window meanwhile.
redis.call('ZADD', KEYS[1], now + leaseMs, points .. ':' .. graphql .. ':' .. content .. ':' .. lease)
redis.call('PEXPIRE', KEYS[1], minuteWin + leaseMs)
if content == '1' then
  redis.call('ZADD', KEYS[2], now + leaseMs, lease)
  redis.call('PEXPIRE', KEYS[2], hourWin + leaseMs)
end
redis.call('ZADD', KEYS[3], now + leaseMs, lease)
redis.call('PEXPIRE', KEYS[3], leaseMs)
return {1, 0, ''}
`;

/** The answer came: end the lease and count the request's spending from now (see budget.ts). */
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREM', KEYS[3], ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', now, ARGV[2])
return 1
`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1])) end
return 1
`;

interface PacingCommands {
  unwindPaceTake(k1: string, k2: string, k3: string, k4: string, ...args: Array<string | number>): Promise<[number, number, string]>;
  unwindPacePause(k1: string, forMs: number): Promise<number>;
  unwindPaceRelease(k1: string, k2: string, k3: string, member: string, lease: string): Promise<number>;
}

export class RedisBudget implements Budget {
  private readonly redis: Redis & PacingCommands;
  private readonly local: LocalBudget;
  private warned = false;

  /** `namespace` separates GitHub instances sharing one Redis (e.g. the API's host). */
  constructor(
    url: string,
    private readonly limits: PacingLimits,
    private readonly namespace: string,
    private readonly onFallback: (err: unknown) => void = () => {},
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false }) as Redis & PacingCommands;
    // Connection errors are answered per command (fallback below); without a listener ioredis prints them.
    this.redis.on('error', () => {});
    this.redis.defineCommand('unwindPaceTake', { numberOfKeys: 4, lua: TAKE });
    this.redis.defineCommand('unwindPacePause', { numberOfKeys: 1, lua: PAUSE });
    this.redis.defineCommand('unwindPaceRelease', { numberOfKeys: 3, lua: RELEASE });
    this.local = new LocalBudget(limits);
  }

  async take(key: string, cost: RequestCost): Promise<TakeResult> {
    const l = this.limits;
    const k = this.keys(key);
    const lease = randomUUID();
    let answer: [number, number, string];
    try {
      answer = await this.redis.unwindPaceTake(
        k.minute, k.hour, k.inFlight, k.pause,
        l.concurrency, l.restPointsPerMinute, l.graphqlPointsPerMinute, l.contentPerMinute, l.contentPerHour,
        l.minuteMs + l.marginMs, l.hourMs + l.marginMs,
        cost.points, cost.graphql ? '1' : '0', cost.content ? '1' : '0', lease, LEASE_MS, CONCURRENCY_RETRY_MS,
      );
    } catch (err) {
      this.fallBack(err);
      return this.local.take(key, cost);
    }
    const [granted, waitMs, reason] = answer;
    if (granted !== 1) return { granted: false, waitMs: Number(waitMs), reason: reason as BudgetReason };
    let released = false;
    return {
      granted: true,
      grant: {
        release: async () => {
          if (released) return;
          released = true;
          const member = `${cost.points}:${cost.graphql ? '1' : '0'}:${cost.content ? '1' : '0'}:${lease}`;
          await this.redis.unwindPaceRelease(k.minute, k.hour, k.inFlight, member, lease).catch(() => undefined);
        },
      },
    };
  }

  async pause(key: string, forMs: number): Promise<void> {
    await this.local.pause(key, forMs);
    try {
      await this.redis.unwindPacePause(this.keys(key).pause, Math.max(1, Math.ceil(forMs)));
    } catch (err) {
      this.fallBack(err);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private fallBack(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.onFallback(err);
  }

  /** One hash tag per installation, so a Redis Cluster keeps its keys on one node (Lua needs that). */
  private keys(key: string): { minute: string; hour: string; inFlight: string; pause: string } {
    const base = `unwind:pacing:{${this.namespace}:${key}}`;
    return { minute: `${base}:minute`, hour: `${base}:content-hour`, inFlight: `${base}:in-flight`, pause: `${base}:pause` };
  }
}
