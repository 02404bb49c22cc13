/** Compensating actions: workflow dispatches around reverts, a compensate-only service, a failing compensation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { fileAt, ledgerOf, seed, startWorld, trackingIssues, type World } from './support/world.ts';

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

  it('stops the rollback before reverting when a before_revert compensation fails (on_failure: abort)', async () => {
    const org = 'comp-fail';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, owners: ['alice'], compensations: [{ id: 'drain', workflow: '.github/workflows/drain.yml', onFailure: 'abort' }] }] });
    const d = world.sandbox.driver;
    await d.setWorkflow(org, 'api', 'drain.yml', { result: 'failure', delayMs: 30 });
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('stopped');
    expect(tracking.state.steps[0].state).toBe('compensation_failed');
    expect(tracking.state.steps[0].pr).toBeNull();
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
  });
});
