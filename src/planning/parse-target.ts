/** Rollback targets: `owner/repo#N`, `owner/repo@sha`, or the matching github.com PR / commit URLs. */
import type { Target } from './types.ts';

const REPO = '([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+)';
const SHORT_PULL = new RegExp(`^${REPO}#([1-9][0-9]{0,9})$`);
const SHORT_COMMIT = new RegExp(`^${REPO}@([0-9a-fA-F]{7,40})$`);
const URL_PULL = new RegExp(`^https?://[^/\\s]+/${REPO}/pull/([1-9][0-9]{0,9})/?(?:[#?].*)?$`);
const URL_COMMIT = new RegExp(`^https?://[^/\\s]+/${REPO}/commit/([0-9a-fA-F]{7,40})/?(?:[#?].*)?$`);

export function parseTarget(text: string): Target | null {
  const t = text.trim();
  const pull = SHORT_PULL.exec(t) ?? URL_PULL.exec(t);
  if (pull) return { kind: 'pull', repo: pull[1], number: Number(pull[2]) };
  const commit = SHORT_COMMIT.exec(t) ?? URL_COMMIT.exec(t);
  if (commit) return { kind: 'commit', repo: commit[1], sha: commit[2].toLowerCase() };
  return null;
}

export function formatTarget(t: Target): string {
  return t.kind === 'pull' ? `${t.repo}#${t.number}` : `${t.repo}@${t.sha}`;
}

/** Case-insensitive identity of a PR: GitHub names are case-insensitive. */
export function pullKey(repo: string, number: number): string {
  return `${repo.toLowerCase()}#${number}`;
}
