import type { Violation } from './types.ts';

/**
 * Render violations for a test failure or a log line, grouped by where they happened:
 *
 *   2 OpenAPI contract violations:
 *     [request] POST /repos/{owner}/{repo}/pulls (pulls/create) request
 *       - body must have required property 'base'
 *       - body/draft must be boolean (got "yes")
 */
export function formatViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return 'no OpenAPI contract violations';
  const groups = new Map<string, Violation[]>();
  for (const v of violations) {
    const key = `[${v.kind}] ${v.where}`;
    groups.set(key, [...(groups.get(key) ?? []), v]);
  }
  const lines = [`${violations.length} OpenAPI contract violation${violations.length === 1 ? '' : 's'}:`];
  for (const [key, list] of groups) {
    lines.push(`  ${key}`);
    for (const v of list) lines.push(`    - ${v.message}`);
  }
  return lines.join('\n');
}
