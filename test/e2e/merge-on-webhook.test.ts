/**
 * A revert PR merges on the webhook that turns its last required check green: the run does not read the PR
 * and its checks back first (that read is a round trip per wave on the rollback's critical path). Polling
 * is set to a minute here, so only webhooks wake the run and the order of requests is the run's own. (What
 * happens when another webhook wakes the run first is in test/execution/green-by-webhook.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import type { IncomingRequestInfo } from '../../src/sandbox/index.ts';
import { seed, startWorld, trackingIssues, until, type World } from './support/world.ts';

const E2E_TIMEOUT = 300_000;

let world: World;
/** Every REST request Unwind sent to the rollback's repository, in order. */
const requests: string[] = [];

beforeAll(async () => {
  world = await startWorld({ pollMs: 60_000 });
  world.sandbox.onRequest((r: IncomingRequestInfo) => {
    if (r.path.startsWith('/repos/mow/api/') && r.actor?.endsWith('[bot]')) requests.push(`${r.method} ${r.path.slice('/repos/mow/api'.length)}`);
  });
}, E2E_TIMEOUT);
afterAll(async () => {
  world?.sandbox.onRequest(null);
  await world?.close();
});

describe('merge on the check webhook', () => {
  it('merges when the last required check turns green, with no read of the PR or its checks after it', async () => {
    const org = 'mow';
    // No CI: the test reports the contract's check by hand, once the run is waiting for it.
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, waitFor: ['gate'] }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'feature', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback --reason "errors"');

    const checkReads = (): number => requests.filter((r) => /^GET \/commits\/[0-9a-f]+\/(check-runs|status)$/.test(r)).length;
    // The run has opened the revert PR and read its checks (nothing reported yet): it waits.
    await until(world, () => checkReads() > 0 && trackingIssues(world, org, 'api')[0]?.state.steps[0]?.pr !== null, 'the revert PR waiting for its checks');
    const [waiting] = trackingIssues(world, org, 'api');
    const step = waiting.state.steps[0];
    const head = d.getPull(org, 'api', step.pr!.number).headSha;
    await until(world, () => requests.some((r) => r === `GET /commits/${head}/check-runs`), 'a read of the revert PR\'s checks');
    const readsBefore = requests.length;

    // A status: its webhook is the only one (a check run's completion comes with its suite's, in either order).
    await d.reportCheck(org, 'api', head, { name: 'gate', via: 'status', result: 'success' });
    await until(world, () => trackingIssues(world, org, 'api')[0]?.state.status === 'completed', 'the rollback completing');

    const after = requests.slice(readsBefore);
    const mergeAt = after.indexOf(`PUT /pulls/${step.pr!.number}/merge`);
    expect(mergeAt, after.join('\n')).toBeGreaterThanOrEqual(0);
    // Between the green check and the merge: nothing read back (the PR, its checks, the branch's protection).
    expect(after.slice(0, mergeAt)).toEqual([]);
    expect(d.getPull(org, 'api', step.pr!.number).merged).toBe(true);
  }, E2E_TIMEOUT);
});
