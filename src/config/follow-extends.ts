/**
 * The `_extends` chain rules shared by loading from GitHub (load-contract.ts) and the offline commands
 * (`unwind plan`, `unwind validate`): a chain that comes back to a file it already read is a loop, and a
 * chain may not be longer than MAX_EXTENDS. Both are errors at the `_extends` key that closes the chain,
 * worded the same online and offline.
 */
import type { ConfigProblem } from './problem.ts';
import type { ParsedContract } from './parse-contract.ts';
import { parseExtends } from './parse-extends.ts';
import { locate } from './locate.ts';

export const MAX_EXTENDS = 10;

/** `owner/repo:path`, as problems name a file in another repository. */
export function extendsLabel(owner: string, repo: string, path: string): string {
  return `${owner}/${repo}:${path}`;
}

/**
 * The problem with following `_extends` from `from` (the last file read) to `next`, or null. `visited`
 * holds the labels of the files read so far, `hops` how many `_extends` were followed to reach `from`.
 */
export function extendsHopProblem(visited: readonly string[], next: string, hops: number, from: ParsedContract): ConfigProblem | null {
  if (visited.some((label) => label.toLowerCase() === next.toLowerCase())) return extendsProblem(from, `_extends loops back to ${next}`, 'remove one `_extends` so the chain ends');
  if (hops >= MAX_EXTENDS) return extendsProblem(from, `more than ${MAX_EXTENDS} _extends hops`, 'shorten the chain of extended files');
  return null;
}

export function extendsProblem(parsed: ParsedContract, message: string, hint: string): ConfigProblem {
  const { line, col } = locate(parsed.source, ['_extends']);
  return { file: parsed.file, line, col, severity: 'error', path: '_extends', message, hint };
}

/** A contract file read from disk, with the repository it stands for (owner unknown: `null`). */
export interface ContractAtHand {
  readonly owner: string | null;
  readonly repo: string;
  readonly path: string;
  readonly parsed: ParsedContract;
}

/**
 * Offline: `start` and the files it extends that are at hand, most specific first. A target that is not at
 * hand ends the chain (its values cannot be known offline); a loop or an overlong chain ends it with a problem.
 */
export function followExtendsOffline(
  start: ContractAtHand,
  find: (owner: string | null, repo: string, path: string) => ContractAtHand | undefined,
): { layers: ContractAtHand[]; problem: ConfigProblem | null } {
  const layers = [start];
  const label = (c: { owner: string | null; repo: string; path: string }) => extendsLabel(c.owner ?? '<org>', c.repo, c.path);
  for (let hops = 0; ; hops++) {
    const last = layers[layers.length - 1];
    if (last.parsed.extends === null) return { layers, problem: null };
    const target = parseExtends(last.parsed.extends, { owner: last.owner ?? '', path: last.path })!;
    const owner = target.owner === '' ? null : target.owner;
    const problem = extendsHopProblem(layers.map(label), label({ owner, repo: target.repo, path: target.path }), hops, last.parsed);
    if (problem !== null) return { layers, problem };
    const next = find(owner, target.repo, target.path);
    if (next === undefined) return { layers, problem: null };
    layers.push(next);
  }
}
