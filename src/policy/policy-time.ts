/** The `time` block of the policy input, derived from one instant (pure: callers pass `now`). */
import { WEEKDAYS } from './input.ts';
import type { PolicyInput } from './input.ts';

export function policyTime(now: Date): PolicyInput['time'] {
  const ms = now.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('policyTime: invalid date');
  return {
    now: now.toISOString().replace(/\.000Z$/, 'Z'),
    weekday: WEEKDAYS[now.getUTCDay()],
    hour: now.getUTCHours(),
    ns: ms * 1_000_000,
  };
}
