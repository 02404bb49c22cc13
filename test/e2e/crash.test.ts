/**
 * Crash safety: Unwind is killed at every boundary of a two-wave rollback (both revert paths), then a fresh Unwind
 * process (a new Probot server) starts; its reconciler resumes from the tracking issue alone, and
 * the rollback completes with no duplicate branch, PR, merge or ledger entry.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { commentsOn, fileAt, git, ledgerOf, seed, startWorld, trackingIssues, type World, isRevertBranch } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

const BOUNDARIES = [
  'record:requested',
  'record:wave_started',
  'step:branch_pushed',
  'step:pr_open',
  'step:checks_pending',
  'step:mergeable',
  'step:merged',
  'step:verified',
  'record:wave_completed',
  'record:completed',
];

describe('a crash at each boundary, then a restart', () => {
  it.each(BOUNDARIES.map((b, i) => [b, i]))('resumes after a crash at %s', async (boundary, i) => {
    const org = `crash${i}`;
    await seed(world, {
      org,
      services: [
        { name: 'front', repo: `${org}/front`, dependsOn: ['back'], waitFor: ['ci'] },
        { name: 'back', repo: `${org}/back`, waitFor: ['ci'] },
      ],
      // Where the crash must happen while checks are pending, CI reports nothing until the test says so
      // (a merely slow CI makes the boundary depend on the machine's speed).
      ci: boundary === 'step:checks_pending' ? [] : [{ name: 'ci', result: 'success', delayMs: 30 }],
    });
    const d = world.sandbox.driver;
    const merged = await mergeChangeSet(d, org, [
      { repo: `${org}/back`, branch: 'b', title: 'Back change', files: { 'src/app.txt': 'back v2\n' } },
      { repo: `${org}/front`, branch: 'f', title: 'Front change', files: { 'src/app.txt': 'front v2\n' }, dependsOn: [0] },
    ]);
    // 1. An Unwind that dies at the boundary (once). A pushed branch is a boundary of the git path only:
    // that case reverts with git (UNWIND_REVERT_VIA=git); the others with GitHub's revert, the default.
    const via = process.env.UNWIND_REVERT_VIA;
    if (boundary === 'step:branch_pushed') process.env.UNWIND_REVERT_VIA = 'git';
    onTestFinished(() => {
      if (via === undefined) delete process.env.UNWIND_REVERT_VIA;
      else process.env.UNWIND_REVERT_VIA = via;
    });
    let crashed = false;
    await world.server.close();
    await world.startUnwind({
      beforeEffect: (point) => {
        if (point === boundary && !crashed) {
          crashed = true;
          throw new Error(`simulated crash at ${point}`);
        }
      },
    });
    await d.comment(ONCALL, org, 'back', merged[0].number, '/rollback');
    await world.settle();
    expect(crashed).toBe(true);
    expect(trackingIssues(world, org, 'back')[0].state.status).toBe('running');
    if (boundary === 'step:checks_pending') {
      // CI comes back while Unwind is down: the pending revert PR's check passes, later ones run as usual.
      const pending = d.listPulls(org, 'front').find((p) => isRevertBranch(p.headRef));
      expect(pending).toBeDefined();
      for (const repo of ['front', 'back']) await d.setCI(org, repo, [{ name: 'ci', result: 'success', delayMs: 30 }]);
      await d.reportCheck(org, 'front', pending!.headSha, { name: 'ci', result: 'success' });
    }
    // 2. A fresh process: the reconciler finds the rollback from its tracking issue and resumes it.
    //    (Once, the outage lasts over a second, which the summary reports as reconciliation time.)
    await world.server.close();
    if (i === 0) await new Promise((r) => setTimeout(r, 1_100));
    await world.startUnwind();
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'back');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.timings.resumes).toBe(1);
    if (i === 0) expect(tracking.state.timings.reconciliationMs).toBeGreaterThanOrEqual(1_000);
    expect(commentsOn(world, org, 'back', tracking.number).at(-1)).toMatch(/\| reconciliation time \| \d/);
    for (const repo of ['front', 'back']) {
      expect(fileAt(world, org, repo, 'main', 'src/app.txt')).toBe(`${repo} v1`);
      // One revert PR, one revert branch, one merge of it.
      const pulls = d.listPulls(org, repo);
      expect(pulls).toHaveLength(2);
      expect(pulls.filter((p) => isRevertBranch(p.headRef))).toHaveLength(1);
      expect(pulls.filter((p) => p.headRef.startsWith(boundary === 'step:branch_pushed' ? 'unwind/' : 'revert-'))).toHaveLength(1);
      expect(git(world, org, repo, 'log', '--format=%H', '--grep', `Rollback-Id: ${tracking.state.id}`, 'main').split('\n').length).toBeGreaterThanOrEqual(1);
      expect(git(world, org, repo, 'log', '--merges', '--format=%s', '--grep', 'Revert', 'main').split('\n').filter(Boolean)).toHaveLength(1);
    }
    const ledger = ledgerOf(world, org, 'back', tracking.number);
    expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, k) => k + 1));
    // The request opens the ledger exactly once, whichever process wrote it.
    expect(ledger[0].action).toBe('requested');
    expect(ledger.filter((e) => e.action === 'requested')).toHaveLength(1);
  });
});
