/** Compensating actions: workflow dispatches around reverts, a compensate-only service, a failing compensation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { commentsOn, fileAt, git, ledgerOf, seed, startWorld, trackingIssues, revertBranches, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('compensations', () => {
  it('turns a flag off in a compensate-only service of the group, reverts the code, then purges the cache', async () => {
    const org = 'comp-ok';
    await seed(world, {
      org,
      services: [
        { name: 'api', repo: `${org}/api`, labels: ['rollback'], compensations: [{ id: 'purge-cache', workflow: '.github/workflows/purge.yml', when: 'after_revert' }] },
        { name: 'flags', repo: `${org}/flags`, rollback: 'compensate', compensations: [{ id: 'flag-off', workflow: '.github/workflows/flag-off.yml' }] },
      ],
      groups: { release: ['api', 'flags'] },
    });
    const d = world.sandbox.driver;
    await d.setWorkflow(org, 'api', 'purge.yml', { result: 'success', delayMs: 50 });
    await d.setWorkflow(org, 'flags', 'flag-off.yml', { result: 'success', delayMs: 50 });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature behind a flag', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('completed');
    const flags = tracking.state.steps.find((s) => s.repo === `${org}/flags`)!;
    const api = tracking.state.steps.find((s) => s.repo === `${org}/api`)!;
    expect(flags.kind).toBe('compensate');
    expect(flags.compensations.map((c) => [c.id, c.state])).toEqual([['flag-off', 'succeeded']]);
    expect(api.compensations.map((c) => [c.id, c.state])).toEqual([['purge-cache', 'succeeded']]);
    expect(flags.wave).toBe(api.wave); // a group rolls back in one wave
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1');
    expect(d.getIssue(org, 'api', api.pr!.number).labels).toContain('rollback');
    const comps = ledgerOf(world, org, 'api', tracking.number).filter((e) => e.action === 'compensation');
    expect(comps.map((e) => `${e.details.compensation}:${e.outcome}`)).toEqual(expect.arrayContaining(['flag-off:dispatched', 'flag-off:succeeded', 'purge-cache:dispatched', 'purge-cache:succeeded']));
    // Dispatched once each, with the idempotency key.
    const viewer = await d.createUser('comp-viewer');
    for (const repo of ['flags', 'api']) {
      await d.addCollaborator(org, repo, viewer.login, 'read');
      const res = await fetch(`${world.sandbox.baseUrl}/repos/${org}/${repo}/actions/runs?event=workflow_dispatch`, { headers: { authorization: `token ${viewer.token}` } });
      const body = (await res.json()) as { total_count: number; workflow_runs: Array<{ conclusion: string }> };
      expect(body.total_count).toBe(1);
      expect(body.workflow_runs[0].conclusion).toBe('success');
    }
  });

  it('retries a failing before_revert compensation with back-off, then aborts the rollback (on_failure: abort)', async () => {
    const org = 'comp-fail';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, owners: ['alice'], compensations: [{ id: 'drain', workflow: '.github/workflows/drain.yml', onFailure: 'abort', retry: { attempts: 1, backoff: '1s' } }] }] });
    const d = world.sandbox.driver;
    await d.setWorkflow(org, 'api', 'drain.yml', { result: 'failure', delayMs: 30 });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('aborted');
    expect(tracking.open).toBe(false);
    expect(tracking.state.steps[0].state).toBe('compensation_failed');
    expect(tracking.state.steps[0].pr).toBeNull();
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
    expect(revertBranches(world.sandbox, org, 'api')).toEqual([]);
    const ledger = ledgerOf(world, org, 'api', tracking.number);
    expect(ledger.filter((e) => e.action === 'compensation').map((e) => e.outcome)).toEqual(['dispatched', 'retrying', 'dispatched', 'failed']);
    expect(ledger.find((e) => e.action === 'abort')?.actor).toMatch(/\[bot\]$/);
    expect(commentsOn(world, org, 'api', tracking.number).some((b) => b.includes('@alice') && b.includes('on_failure: abort'))).toBe(true);
    expect(await dispatchedRuns(org, 'api')).toEqual(['failure', 'failure']);
  });

  it('retries within the contract and goes on when a later attempt succeeds', async () => {
    const org = 'comp-flaky';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, compensations: [{ id: 'flag-off', workflow: '.github/workflows/flag-off.yml', retry: { attempts: 2, backoff: '1s' } }] }] });
    const d = world.sandbox.driver;
    await d.setWorkflow(org, 'api', 'flag-off.yml', { result: 'failure', results: ['failure', 'success'], delayMs: 30 });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.steps[0].compensations.map((c) => [c.state, c.attempt])).toEqual([['succeeded', 2]]);
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1');
    const outcomes = ledgerOf(world, org, 'api', tracking.number).filter((e) => e.action === 'compensation').map((e) => e.outcome);
    expect(outcomes).toEqual(['dispatched', 'retrying', 'dispatched', 'succeeded']);
    expect(await dispatchedRuns(org, 'api')).toEqual(['failure', 'success']);
  });

  it('escalates a failed after_revert compensation, and /rollback retry dispatches it anew without re-reverting', async () => {
    const org = 'comp-esc';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, owners: ['alice'], compensations: [{ id: 'purge', workflow: '.github/workflows/purge.yml', when: 'after_revert', onFailure: 'escalate', retry: { attempts: 0, backoff: '1s' } }] }] });
    const d = world.sandbox.driver;
    await d.setWorkflow(org, 'api', 'purge.yml', { result: 'failure', results: ['failure', 'success'], delayMs: 30 });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    let [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('stopped');
    expect(tracking.labels).toContain('unwind:escalated');
    expect(tracking.state.steps[0].state).toBe('compensation_failed');
    expect(tracking.state.steps[0].mergedAt).not.toBeNull();
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1'); // the revert itself landed
    expect(ledgerOf(world, org, 'api', tracking.number).map((e) => e.action)).toContain('escalated');
    expect(commentsOn(world, org, 'api', tracking.number).some((b) => b.includes('@alice') && b.includes('/rollback retry'))).toBe(true);
    const mainBefore = git(world, org, 'api', 'rev-parse', 'main');

    await d.comment(ONCALL, org, 'api', tracking.number, '/rollback retry');
    await world.settle();
    [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.steps[0].compensations.map((c) => c.state)).toEqual(['succeeded']);
    expect(git(world, org, 'api', 'rev-parse', 'main')).toBe(mainBefore); // nothing reverted or merged twice
    expect(await dispatchedRuns(org, 'api')).toEqual(['failure', 'success']);
  });

  it('cancels an attempt that outlives its timeout, then escalates (on_failure: escalate)', async () => {
    const org = 'comp-slow';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, compensations: [{ id: 'drain', workflow: '.github/workflows/drain.yml', onFailure: 'escalate', timeout: '1s', retry: { attempts: 0, backoff: '1s' } }] }] });
    const d = world.sandbox.driver;
    await d.setWorkflow(org, 'api', 'drain.yml', { result: 'success', delayMs: 4_000 });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('stopped');
    expect(tracking.state.steps[0].state).toBe('compensation_failed');
    expect(commentsOn(world, org, 'api', tracking.number).some((b) => b.includes('did not finish within 1.0 s (cancelled)'))).toBe(true);
    expect(await dispatchedRuns(org, 'api')).toEqual(['cancelled']); // it never finished late
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
  });

  it('stops a step whose revert checks do not finish within the contract\'s checks_timeout', async () => {
    const org = 'checks-slow';
    // CI never reports on the revert PR, so the 1 s timeout runs out however slow the machine (a CI that
    // reported after 3 s was sometimes green by the time a loaded machine looked, and the step merged).
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, owners: ['alice'], waitFor: ['ci'], checksTimeout: '1s' }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('stopped');
    expect(tracking.state.steps[0].state).toBe('checks_failed');
    expect(tracking.state.steps[0].detail).toBe('checks timed out: ci');
    expect(ledgerOf(world, org, 'api', tracking.number).map((e) => e.outcome)).toContain('checks_timed_out');
    expect(commentsOn(world, org, 'api', tracking.number).some((b) => b.includes('did not finish within 1.0 s (contract `revert.checks_timeout`)'))).toBe(true);
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
  });
});

/** Conclusions of the workflow_dispatch runs in a repo, oldest first, read through the REST API. */
async function dispatchedRuns(org: string, repo: string): Promise<string[]> {
  const viewer = `${org}-viewer`;
  const user = await world.sandbox.driver.createUser(viewer);
  await world.sandbox.driver.addCollaborator(org, repo, viewer, 'read');
  const res = await fetch(`${world.sandbox.baseUrl}/repos/${org}/${repo}/actions/runs?event=workflow_dispatch`, { headers: { authorization: `token ${user.token}` } });
  const body = (await res.json()) as { workflow_runs: Array<{ id: number; conclusion: string }> };
  return body.workflow_runs.sort((a, b) => a.id - b.id).map((r) => r.conclusion);
}
