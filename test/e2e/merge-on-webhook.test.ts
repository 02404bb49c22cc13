/**
 * A revert PR merges on the webhook that turns its last required check green: the run does not read the PR
 * and its checks back first (that read is a round trip per wave on the rollback's critical path), and the
 * merge's answer (GraphQL) says what verification needs, so it reads nothing either. Polling
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
  it('merges when the last required check turns green and verifies, reading nothing after it', async () => {
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
    // And, while the PR waits, what its files were before the change (verification compares with it).
    await until(world, () => requests.some((r) => r.startsWith('GET /contents/')), 'the read of the files before the change');
    const readsBefore = requests.length;
    const mergesBefore = world.sandbox.graphqlOperations()['mutation UnwindMergePull'] ?? 0;

    // A status: its webhook is the only one (a check run's completion comes with its suite's, in either order).
    await d.reportCheck(org, 'api', head, { name: 'gate', via: 'status', result: 'success' });
    await until(world, () => trackingIssues(world, org, 'api')[0]?.state.status === 'completed', 'the rollback completing');

    // From the green check to the end of the step, nothing is read back: not the PR, its checks or the
    // branch's protection before the merge, and not the branch or its files after it (the GraphQL merge's
    // answer carries what the merge commit holds at the reverted files).
    const after = requests.slice(readsBefore);
    expect(after.filter((r) => r.startsWith('GET ')), after.join('\n')).toEqual([]);
    expect((world.sandbox.graphqlOperations()['mutation UnwindMergePull'] ?? 0) - mergesBefore).toBe(1);
    expect(d.getPull(org, 'api', step.pr!.number).merged).toBe(true);
    const [done] = trackingIssues(world, org, 'api');
    expect(done.state.steps[0]).toMatchObject({ state: 'verified', drift: [] });
  }, E2E_TIMEOUT);

  it('settles a merge GitHub refuses with REST\'s merge: the step stops with GitHub\'s reason', async () => {
    const org = 'mowb';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, waitFor: ['gate'] }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'feature', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    // From now on a merge into main needs an approving review, which no one gives the revert PR.
    await d.setProtection(org, 'api', 'main', { requiredChecks: [], requiredApprovals: 1 });
    const merges = () => world.sandbox.graphqlOperations()['mutation UnwindMergePull'] ?? 0;
    const before = merges();
    await d.comment(ONCALL, org, 'api', change.number, '/rollback --reason "errors"');
    await until(world, () => trackingIssues(world, org, 'api')[0]?.state.steps[0]?.pr != null, 'the revert PR');
    const pr = trackingIssues(world, org, 'api')[0]!.state.steps[0]!.pr!.number;
    await d.reportCheck(org, 'api', d.getPull(org, 'api', pr).headSha, { name: 'gate', via: 'status', result: 'success' });
    await until(world, () => trackingIssues(world, org, 'api')[0]?.state.status === 'stopped', 'the rollback stopping');

    const [stopped] = trackingIssues(world, org, 'api');
    expect(stopped.state.steps[0]).toMatchObject({ state: 'merge_blocked', detail: 'At least 1 approving review is required by reviewers with write access.' });
    expect(merges() - before).toBe(1);
    expect(d.getPull(org, 'api', stopped.state.steps[0].pr!.number).merged).toBe(false);
  }, E2E_TIMEOUT);

  it('is not woken by checks in repositories it does not wait on: no read of its own checks for them', async () => {
    const org = 'mowc';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, waitFor: ['gate'] }, { name: 'web', repo: `${org}/web`, waitFor: ['gate'] }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'feature', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    const mine: string[] = [];
    world.sandbox.onRequest((r: IncomingRequestInfo) => {
      if (r.path.startsWith(`/repos/${org}/api/`) && r.actor?.endsWith('[bot]')) mine.push(`${r.method} ${r.path.slice(`/repos/${org}/api`.length)}`);
    });
    const checkReads = (): number => mine.filter((r) => /^GET \/commits\/[0-9a-f]+\/(check-runs|status)$/.test(r)).length;
    await d.comment(ONCALL, org, 'api', change.number, '/rollback --reason "errors"');
    await until(world, () => checkReads() > 0 && trackingIssues(world, org, 'api')[0]?.state.steps[0]?.pr != null, 'the revert PR waiting for its checks');
    const pr = trackingIssues(world, org, 'api')[0]!.state.steps[0]!.pr!.number;
    await world.sandbox.idle();
    const readsBefore = checkReads();

    // Checks reported in the org's other repository and in its config repo: nothing there concerns the rollback.
    const webHead = await d.commit(org, 'web', { branch: 'main', files: { 'notes.md': 'web\n' }, message: 'Notes' });
    const configHead = await d.commit(org, '.github', { branch: 'main', files: { 'notes.md': 'config\n' }, message: 'Notes' });
    await d.reportCheck(org, 'web', webHead, { name: 'gate', via: 'status', result: 'success' });
    await d.reportCheck(org, '.github', configHead, { name: 'gate', via: 'check_run', result: 'failure' });
    await world.sandbox.idle();

    // Its own check moves it on at once, with no read (the merge on the webhook). A loop woken by the checks
    // above would have read its checks again (no green of its own was seen then) before it completed.
    await d.reportCheck(org, 'api', d.getPull(org, 'api', pr).headSha, { name: 'gate', via: 'status', result: 'success' });
    await until(world, () => trackingIssues(world, org, 'api')[0]?.state.status === 'completed', 'the rollback completing');
    expect(checkReads()).toBe(readsBefore);
  }, E2E_TIMEOUT);

  it('reads nothing of a step whose repository reported nothing while another step of its wave merges', async () => {
    const org = 'mowd';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, waitFor: ['gate'] }, { name: 'web', repo: `${org}/web`, waitFor: ['gate'] }] });
    const d = world.sandbox.driver;
    const changes = await mergeChangeSet(d, org, [
      { repo: `${org}/api`, branch: 'feature', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } },
      { repo: `${org}/web`, branch: 'feature', title: 'Feature', files: { 'src/app.txt': 'web v2\n' } },
    ]);
    const reads = new Map<string, number>([['api', 0], ['web', 0]]);
    world.sandbox.onRequest((r: IncomingRequestInfo) => {
      const m = new RegExp(`^/repos/${org}/(api|web)/commits/[0-9a-f]+/(check-runs|status)$`).exec(r.path);
      if (m && r.method === 'GET' && r.actor?.endsWith('[bot]')) reads.set(m[1], reads.get(m[1])! + 1);
    });
    await d.comment(ONCALL, org, '.github', (await d.createIssue(ONCALL, org, '.github', { title: 'Both down' })), `/rollback ${changes.map((c) => `${org}/${c.repo.split('/')[1]}#${c.number}`).join(' ')} --reason "errors"`);
    const steps = () => trackingIssues(world, org, '.github')[0]?.state.steps ?? [];
    await until(world, () => steps().length === 2 && steps().every((s) => s.pr != null) && reads.get('api')! > 0 && reads.get('web')! > 0, 'both revert PRs waiting for their checks');
    expect(new Set(steps().map((s) => s.wave))).toEqual(new Set([steps()[0].wave]));
    await world.sandbox.idle();
    const webReads = reads.get('web');

    // api's check: api merges. Nothing was reported in web, so web is not read again meanwhile.
    const api = steps().find((s) => s.repo === `${org}/api`)!;
    await d.reportCheck(org, 'api', d.getPull(org, 'api', api.pr!.number).headSha, { name: 'gate', via: 'status', result: 'success' });
    await until(world, () => d.getPull(org, 'api', api.pr!.number).merged, 'api merged');
    await world.sandbox.idle();
    expect(reads.get('web')).toBe(webReads);

    // web's own check merges it, still without a read.
    const web = steps().find((s) => s.repo === `${org}/web`)!;
    await d.reportCheck(org, 'web', d.getPull(org, 'web', web.pr!.number).headSha, { name: 'gate', via: 'status', result: 'success' });
    await until(world, () => trackingIssues(world, org, '.github')[0]?.state.status === 'completed', 'the rollback completing');
    expect(reads.get('web')).toBe(webReads);
  }, E2E_TIMEOUT);
});
