/** GitHub misbehaving during a rollback: a seeded eighth of REST calls answer 502. The rollback still completes, once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { fileAt, git, ledgerOf, seed, startWorld, trackingIssues, type World, isRevertBranch, revertBranches } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  world?.sandbox.driver.setFaults({});
  await world?.close();
});

describe('transient GitHub failures', () => {
  it('completes a two-wave rollback while one REST call in eight fails with a 502, without duplicates', async () => {
    const org = 'flaky';
    await seed(world, {
      org,
      services: [
        { name: 'front', repo: `${org}/front`, dependsOn: ['back'], waitFor: ['ci'] },
        { name: 'back', repo: `${org}/back`, waitFor: ['ci'] },
      ],
      ci: [{ name: 'ci', result: 'success', delayMs: 30 }],
    });
    const d = world.sandbox.driver;
    const merged = await mergeChangeSet(d, org, [
      { repo: `${org}/back`, branch: 'b', title: 'Back change', files: { 'src/app.txt': 'back v2\n' } },
      { repo: `${org}/front`, branch: 'f', title: 'Front change', files: { 'src/app.txt': 'front v2\n' }, dependsOn: [0] },
    ]);
    d.setFaults({ errorRate5xx: 0.125, seed: 7 });
    // The fault is live: of 40 plain reads, some answer 502 (seeded, so always the same ones).
    const viewer = await d.createUser('flaky-viewer');
    const statuses = await Promise.all(Array.from({ length: 40 }, () => fetch(`${world.sandbox.baseUrl}/users/${ONCALL}`, { headers: { authorization: `token ${viewer.token}` } }).then((r) => r.status)));
    expect(statuses).toContain(502);
    await d.comment(ONCALL, org, 'back', merged[0].number, '/rollback');
    await world.settle();
    d.setFaults({});
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'back');
    expect(tracking.state.status).toBe('completed');
    for (const repo of ['front', 'back']) {
      expect(fileAt(world, org, repo, 'main', 'src/app.txt')).toBe(`${repo} v1`);
      expect(d.listPulls(org, repo).filter((p) => isRevertBranch(p.headRef))).toHaveLength(1);
      expect(revertBranches(world.sandbox, org, repo)).toHaveLength(1);
    }
    expect(trackingIssues(world, org, 'back')).toHaveLength(1);
    const seqs = ledgerOf(world, org, 'back', tracking.number).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, k) => k + 1));
  });
});
