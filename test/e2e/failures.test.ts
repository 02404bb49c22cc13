/** Stops that need a human: a conflicting revert (then `/rollback retry`), red checks (then `/rollback abort`). */
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

describe('stopped rollbacks', () => {
  it('stops on a conflict, escalates to the owners, and completes after the cause is fixed and /rollback retry', async () => {
    const org = 'fail-conflict';
    await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc`, owners: ['alice'] }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/svc`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'svc v2\n' } }]);
    await d.commit(org, 'svc', { branch: 'main', files: { 'src/app.txt': 'svc v3 (hotfix on top)\n' }, message: 'Hotfix on top of the feature' });
    await d.comment(ONCALL, org, 'svc', change.number, '/rollback');
    await world.settle();
    let [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('stopped');
    expect(tracking.state.steps[0].state).toBe('conflict');
    expect(tracking.state.steps[0].detail).toContain('src/app.txt');
    expect(tracking.labels).toContain('unwind:escalated');
    const escalation = ledgerOf(world, org, 'svc', tracking.number).find((e) => e.action === 'escalated');
    expect(escalation).toBeDefined();
    expect(commentsOn(world, org, 'svc', tracking.number).some((b) => b.includes('@alice') && b.includes('/rollback retry'))).toBe(true);
    expect(revertBranches(world.sandbox, org, 'svc')).toEqual([]);

    // The owner takes the hotfix out again, so the revert applies; then retries.
    await d.commit(org, 'svc', { branch: 'main', files: { 'src/app.txt': 'svc v2\n' }, message: 'Drop the hotfix' });
    await d.comment(ONCALL, org, 'svc', tracking.number, '/rollback retry');
    await world.settle();
    [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('completed');
    expect(fileAt(world, org, 'svc', 'main', 'src/app.txt')).toBe('svc v1');
    expect(ledgerOf(world, org, 'svc', tracking.number).map((e) => e.action)).toContain('retry');
  });

  it('stops on red checks; /rollback abort closes the revert PR, deletes its branch and closes the tracking issue', async () => {
    const org = 'fail-red';
    await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc`, waitFor: ['ci'] }], ci: [{ name: 'ci', result: 'failure', delayMs: 20 }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/svc`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'svc v2\n' } }]);
    await d.comment(ONCALL, org, 'svc', change.number, '/rollback');
    await world.settle();
    let [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('stopped');
    const step = tracking.state.steps[0];
    expect(step.state).toBe('checks_failed');
    expect(d.getPull(org, 'svc', step.pr!.number).merged).toBe(false);
    // GitHub's revert made the branch (revert-<n>-<head>); the step knows it, and abort deletes it.
    expect(step.branch).toBe(`revert-${change.number}-f`);
    expect(revertBranches(world.sandbox, org, 'svc')).toEqual([step.branch]);

    await d.comment(ONCALL, org, 'svc', tracking.number, '/rollback abort --reason "will fix forward"');
    await world.settle();
    [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('aborted');
    expect(tracking.open).toBe(false);
    expect(tracking.state.steps[0].state).toBe('aborted');
    expect(d.getIssue(org, 'svc', step.pr!.number).state).toBe('closed');
    expect(revertBranches(world.sandbox, org, 'svc')).toEqual([]);
    expect(fileAt(world, org, 'svc', 'main', 'src/app.txt')).toBe('svc v2');
    const abort = ledgerOf(world, org, 'svc', tracking.number).find((e) => e.action === 'abort');
    expect(abort?.details).toMatchObject({ reason: 'will fix forward', closed: [step.pr!.url], merged: [] });
    // One entry says what the abort did; the steps change quietly (GitHub paces comments).
    expect(ledgerOf(world, org, 'svc', tracking.number).filter((e) => e.outcome === 'aborted')).toHaveLength(1);
  });
});

describe('verification', () => {
  it('reports drift when a later commit also changed a reverted file, instead of hiding it', async () => {
    const org = 'drift';
    await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc` }] });
    const d = world.sandbox.driver;
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    await d.commit(org, 'svc', { branch: 'main', files: { 'config.txt': lines.join('\n') + '\n' }, message: 'Add config' });
    const changed = [...lines];
    changed[0] = 'line 1 (feature)';
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/svc`, branch: 'f', title: 'Feature', files: { 'config.txt': changed.join('\n') + '\n' } }]);
    const later = [...changed];
    later[19] = 'line 20 (unrelated fix)';
    await d.commit(org, 'svc', { branch: 'main', files: { 'config.txt': later.join('\n') + '\n' }, message: 'Unrelated fix' });
    await d.comment(ONCALL, org, 'svc', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.steps[0].drift).toEqual(['config.txt']);
    // git: the feature's line is gone, the later fix stays.
    const now = fileAt(world, org, 'svc', 'main', 'config.txt')!;
    expect(now).toContain('line 1\n');
    expect(now).toContain('line 20 (unrelated fix)');
    // A one-wave rollback records its wave in the completion entry.
    const wave = ledgerOf(world, org, 'svc', tracking.number).find((e) => e.action === 'completed');
    expect(wave?.outcome).toBe('completed_with_drift');
    expect(wave?.details).toMatchObject({ waves: [{ wave: 0, drift: [`${org}/svc:config.txt`], steps: [{ repo: `${org}/svc`, drift: ['config.txt'] }] }] });
  });
});
