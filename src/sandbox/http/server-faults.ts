/** Injected server faults for REST calls: latency and 5xx (every Nth call or a seeded random rate). */
import type { SandboxContext } from '../context.ts';
import { HttpError } from './http-error.ts';

export interface FaultInjector {
  /** Waits the configured latency, then throws a 5xx if one is due. */
  before(): Promise<void>;
  reset(): void;
}

/** mulberry32: small deterministic PRNG */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function createFaultInjector(ctx: () => SandboxContext): FaultInjector {
  let calls = 0;
  let rand = prng(ctx().faults.seed);
  return {
    async before() {
      const f = ctx().faults;
      if (f.latencyMs > 0) await new Promise((r) => setTimeout(r, f.latencyMs));
      calls += 1;
      const every = f.error5xxEvery > 0 && calls % f.error5xxEvery === 0;
      const random = f.errorRate5xx > 0 && rand() < f.errorRate5xx;
      if (every || random) throw new HttpError(502, 'Server Error');
    },
    reset() {
      calls = 0;
      rand = prng(ctx().faults.seed);
    },
  };
}
