/**
 * `Depends-On:` lines in a PR body (the Zuul/Mergify convention): one reference per line, as
 * `owner/repo#N` or a PR URL; several lines allowed; case-insensitive keyword; Markdown list markers and
 * quotes tolerated. Returns the references in order of appearance, without duplicates.
 */
import type { Target } from './types.ts';
import { parseTarget, pullKey } from './parse-target.ts';

const LINE = /^[\s>*-]*depends-on:[ \t]*(\S+)[ \t]*$/gim;
/** One scan to skip the (usual) bodies without any link before the line-by-line match. */
const KEYWORD = /depends-on:/i;

export function parseDependsOn(body: string): Array<{ repo: string; number: number }> {
  const out: Array<{ repo: string; number: number }> = [];
  if (!KEYWORD.test(body)) return out;
  const seen = new Set<string>();
  for (const m of body.slice(0, 65_536).matchAll(LINE)) {
    const target: Target | null = parseTarget(m[1].replace(/^<|>$/g, ''));
    if (target === null || target.kind !== 'pull') continue;
    const key = pullKey(target.repo, target.number);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ repo: target.repo, number: target.number });
  }
  return out;
}
