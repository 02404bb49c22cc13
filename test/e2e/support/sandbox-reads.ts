/** What a test reads of a sandbox driven by a separate `unwind serve` process: the tracking issue and its ledger. */
import { parseTrackingState } from '../../../src/execution/tracking-issue.ts';
import { parseLedgerComment } from '../../../src/ledger/entry.ts';
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
