/** What a test reads of a sandbox driven by a separate `unwind serve` process: the tracking issue and its ledger. */
import { parseTrackingState } from '../../../src/execution/tracking-issue.ts';
import { parseLedgerComment } from '../../../src/ledger/entry.ts';
import { execFileSync } from 'node:child_process';
import type { Sandbox } from '../../../src/sandbox/types.ts';

/** The first tracking issue of `owner/repo`, with its parsed state (null: none yet). */
export function firstTracking(sandbox: Sandbox, owner: string, repo: string) {
  for (let n = 1; n < 100; n++) {
    let issue;
    try {
      issue = sandbox.driver.getIssue(owner, repo, n);
    } catch {
      return null;
    }
    if (issue?.labels.includes('unwind:rollback')) return { number: n, state: parseTrackingState(issue.body ?? ''), open: issue.state === 'open' };
  }
  return null;
}

/** The ledger entries Unwind posted on an issue, in order. */
export function ledgerEntries(sandbox: Sandbox, owner: string, repo: string, issueNumber: number) {
  return sandbox.driver
    .listComments(owner, repo, issueNumber)
    .filter((c) => c.viaApp)
    .map((c) => parseLedgerComment(c.body))
    .filter((e) => e !== null);
}

/** A revert PR's branch as Unwind makes it: `unwind/<rollback>/<n>` (git), or GitHub's `revert-<n>-<head>` (its revert of one PR). */
export function isRevertBranch(headRef: string): boolean {
  return headRef.startsWith('unwind/') || /^revert-\d+-/.test(headRef);
}

/** Unwind's revert branches in a sandbox repository, both kinds (`unwind/…` from git, `revert-<n>-…` from GitHub's revert). */
export function revertBranches(sandbox: Sandbox, owner: string, repo: string): string[] {
  return sandboxGit(sandbox, owner, repo, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/unwind', 'refs/heads/revert-*').split('\n').filter(Boolean);
}

/** `git` on the sandbox's bare repository of `owner/repo` (argv, no shell, ambient GIT_* variables left out); its output, trimmed. */
export function sandboxGit(sandbox: Sandbox, owner: string, repo: string, ...args: string[]): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GIT_')));
  return execFileSync('git', ['-C', sandbox.driver.repoPath(owner, repo), ...args], { env, encoding: 'utf8' }).trim();
}

/** The rollback a PR belongs to: the `Rollback-Id` marker Unwind writes in every revert PR's body (null: none). */
export function rollbackOfPull(sandbox: Sandbox, owner: string, repo: string, number: number): string | null {
  return /^Rollback-Id: (\S+)$/m.exec(sandbox.driver.getIssue(owner, repo, number).body ?? '')?.[1] ?? null;
}
