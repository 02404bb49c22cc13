/**
 * Parsers for numeric command-line options (commander's argParser): a value that is not what the option
 * takes stops the command with an error naming the option, instead of becoming NaN, 0 or a negative limit.
 */
import { InvalidArgumentError } from 'commander';

/** Digits only (no sign, exponent or hex), at least 1; commander names the option and the value in the error. */
export function positiveInteger(raw: string): number {
  const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer (1, 2, 3, …)');
  return n;
}

/** A TCP port, 0 to 65535 (0: any free port). */
export function portNumber(raw: string): number {
  const n = /^[0-9]+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n > 65_535) throw new InvalidArgumentError('expected a TCP port (0-65535; 0: any free port)');
  return n;
}
