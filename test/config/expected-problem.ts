/** What the parser rule tables (parse-contract / parse-map tests) expect of one reported problem. */
import { expect } from 'vitest';

export interface ExpectedProblem {
  line: number;
  col: number;
  path: string;
  message: string | RegExp;
  hint?: string | RegExp;
  severity?: 'error' | 'warning';
}

/** The problem's message, and its hint when one is expected: exactly for a string, by pattern for a RegExp. */
export function expectProblemText(got: { message: string; hint?: string }, want: ExpectedProblem): void {
  expectText(got.message, want.message);
  if (want.hint !== undefined) expectText(got.hint, want.hint);
}

function expectText(actual: string | undefined, want: string | RegExp): void {
  if (typeof want === 'string') expect(actual).toBe(want);
  else expect(actual).toMatch(want);
}
