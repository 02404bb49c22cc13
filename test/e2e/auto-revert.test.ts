/**
 * Automatic reverts: a check run or commit status named in a repo's contract fails on the default
 * branch after a merge, and Unwind rolls the merged PR back under the policy's `auto` action, with
 * its tracking issue in the org config repo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet } from '../../src/demo/seed-org.ts';
import { commentsOn, fileAt, git, ledgerOf, seed, startWorld, trackingIssues, type World, isRevertBranch } from './support/world.ts';

// The services have no tier, so the shipped policy lets automatic reverts through at any hour.
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('automatic reverts', () => {
  it('reverts the merged PR when a watched check run fails on main, once however many checks fail', async () => {
    const org = 'auto-check';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, owners: ['alice'], autoRevert: { checks: ['deploy/*'] } }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Break prod', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.reportCheck(org, 'api', change.mergeSha, { name: 'deploy/prod', result: 'failure' });
    await d.reportCheck(org, 'api', change.mergeSha, { name: 'deploy/canary', result: 'failure' });
    await d.reportCheck(org, 'api', change.mergeSha, { name: 'lint', result: 'failure' }); // not watched
    await world.settle();
    // The tracking issue is in the org config repo, labelled as automatic.
    const issues = trackingIssues(world, org, '.github');
    expect(issues).toHaveLength(1);
    const [tracking] = issues;
    expect(tracking.labels).toEqual(expect.arrayContaining(['unwind:rollback', 'unwind:auto']));
    expect(tracking.state.trigger).toBe('auto');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.reason).toContain('"deploy/prod" failed on main');
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1');
    expect(git(world, org, 'api', 'log', '-1', '--format=%B', 'main')).toContain(`Rollback-Id: ${tracking.state.id}`);
    // The ledger opens with the automatic request and the policy's decision on the `auto` action.
    const [request] = ledgerOf(world, org, '.github', tracking.number);
    expect(request.action).toBe('requested');
    expect(request.decision?.allow).toBe(true);
    expect(commentsOn(world, org, '.github', tracking.number)[0]).toContain(`Automatic revert of`);
    // The culprit PR gets one link to the tracking issue.
    const links = commentsOn(world, org, 'api', change.number).filter((b) => b.includes(tracking.state.id));
    expect(links).toHaveLength(1);
    expect(links[0]).toContain('Automatic revert of this pull request');
  });

  it('waits for the consecutive failures the contract asks for, and reverts where the failures began', async () => {
    const org = 'auto-streak';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, autoRevert: { statuses: ['smoke'], consecutiveFailures: 2 } }] });
    const d = world.sandbox.driver;
    const [good, culprit, later] = await mergeChangeSet(d, org, [
      { repo: `${org}/api`, branch: 'a', title: 'Fine change', files: { 'docs/a.txt': 'a\n' } },
      { repo: `${org}/api`, branch: 'b', title: 'Breaks smoke', files: { 'src/app.txt': 'api v2\n' } },
      { repo: `${org}/api`, branch: 'c', title: 'Unrelated docs', files: { 'docs/c.txt': 'c\n' } },
    ]);
    await d.reportCheck(org, 'api', good.mergeSha, { name: 'smoke', via: 'status', result: 'success' });
    await d.reportCheck(org, 'api', culprit.mergeSha, { name: 'smoke', via: 'status', result: 'failure' });
    await world.settle();
    expect(trackingIssues(world, org, '.github')).toHaveLength(0); // one failure is not enough
    await d.reportCheck(org, 'api', later.mergeSha, { name: 'smoke', via: 'status', result: 'failure' });
    await world.settle();
    const [tracking] = trackingIssues(world, org, '.github');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.steps.flatMap((s) => s.targets.map((t) => t.number))).toEqual([culprit.number]);
    expect(tracking.state.reason).toContain('2 consecutive commits');
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1');
    expect(fileAt(world, org, 'api', 'main', 'docs/c.txt')).toBe('c'); // the later change stays
  });

  it('leaves alone repos that opted out, merges too old for the contract, and failures of unwatched checks', async () => {
    const org = 'auto-off';
    await seed(world, {
      org,
      services: [
        { name: 'quiet', repo: `${org}/quiet` }, // no triggers named
        { name: 'old', repo: `${org}/old`, autoRevert: { checks: ['deploy'], maxCulpritAge: '1ms' } },
      ],
    });
    const d = world.sandbox.driver;
    const [a, b] = await mergeChangeSet(d, org, [
      { repo: `${org}/quiet`, branch: 'x', title: 'Change', files: { 'src/app.txt': 'quiet v2\n' } },
      { repo: `${org}/old`, branch: 'y', title: 'Change', files: { 'src/app.txt': 'old v2\n' } },
    ]);
    await d.reportCheck(org, 'quiet', a.mergeSha, { name: 'deploy', result: 'failure' });
    await d.reportCheck(org, 'old', b.mergeSha, { name: 'deploy', result: 'failure' });
    await world.settle();
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
    expect(fileAt(world, org, 'quiet', 'main', 'src/app.txt')).toBe('quiet v2');
    expect(fileAt(world, org, 'old', 'main', 'src/app.txt')).toBe('old v2');
  });

  it('never reverts its own revert when the check fails again after it', async () => {
    const org = 'auto-loop';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, autoRevert: { checks: ['deploy'] } }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Break prod', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.reportCheck(org, 'api', change.mergeSha, { name: 'deploy', result: 'failure' });
    await world.settle();
    const [tracking] = trackingIssues(world, org, '.github');
    expect(tracking.state.status).toBe('completed');
    // The deploy still fails after the revert (the cause was elsewhere): no second rollback.
    await d.reportCheck(org, 'api', git(world, org, 'api', 'rev-parse', 'main'), { name: 'deploy', result: 'failure' });
    await world.settle();
    expect(trackingIssues(world, org, '.github')).toHaveLength(1);
    expect(d.listPulls(org, 'api').filter((p) => isRevertBranch(p.headRef))).toHaveLength(1);
  });
});
