/** The resource budget of one policy evaluation: exceeding it is an error, so a runaway policy cannot hang the bot. */
export interface Budget {
  /** Evaluation steps before the engine gives up (rego engine). */
  maxSteps?: number;
  /** Wall-clock limit in milliseconds (rego engine). */
  timeoutMs?: number;
}

export const DEFAULT_BUDGET: Required<Budget> = { maxSteps: 2_000_000, timeoutMs: 2_000 };

/** Fills unset (or undefined) limits with the defaults. */
export function resolveBudget(b: Budget | undefined): Required<Budget> {
  return { maxSteps: b?.maxSteps ?? DEFAULT_BUDGET.maxSteps, timeoutMs: b?.timeoutMs ?? DEFAULT_BUDGET.timeoutMs };
}
