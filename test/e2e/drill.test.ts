/**
 * `/rollback drill`: the rollback rehearsed end to end on a private copy of the repositories (a
 * second, embedded sandbox), reported where it was asked for; production is never touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { commentsOn, git, seed, startWorld, trackingIssues, revertBranches, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

function heads(org: string, repos: string[]): Record<string, string> {
  return Object.fromEntries(repos.map((r) => [r, git(world, org, r, 'for-each-ref', '--format=%(refname) %(objectname)')]));
}

describe('/rollback drill', () => {
  it('rehearses a two-wave rollback on a copy and reports it, leaving production exactly as it was', async () => {
    const org = 'drill-ok';
    await seed(world, {
      org,
      services: [
        { name: 'web', repo: `${org}/web`, dependsOn: ['api'], waitFor: ['ci'] },
        { name: 'api', repo: `${org}/api`, waitFor: ['ci'], compensations: [{ id: 'flag-off', workflow: '.github/workflows/flag-off.yml' }] },
      ],
      ci: [{ name: 'ci', result: 'success', delayMs: 20 }],
    });
    const d = world.sandbox.driver;
    const [api] = await mergeChangeSet(d, org, [
      { repo: `${org}/api`, branch: 'a', title: 'API change', files: { 'src/app.txt': 'api v2\n' } },
      { repo: `${org}/web`, branch: 'w', title: 'Web change', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [0] },
    ]);
    const before = heads(org, ['api', 'web', '.github']);
    const pullsBefore = d.listPulls(org, 'api').length + d.listPulls(org, 'web').length;
    await d.comment(ONCALL, org, 'api', api.number, '/rollback drill --reason "game day"');
    await world.settle();
    const replies = commentsOn(world, org, 'api', api.number);
    const started = replies.find((b) => b.includes('started: rehearsing 2 step(s) in 2 wave(s)'));
    const report = replies.find((b) => b.includes('rehearsed on a private copy of 2 repositories'));
    expect(started).toBeDefined();
    expect(report).toContain('Result: **completed**');
    expect(report).toMatch(/\| 1 \| drill-ok\/web \| `verified` \|/);
    expect(report).toMatch(/\| 2 \| drill-ok\/api \| `verified` \|/);
    expect(report).toContain('Not rehearsed: real CI');
    // Production: same refs, no new PRs, no tracking issue, no workflow run.
    expect(heads(org, ['api', 'web', '.github'])).toEqual(before);
    expect(d.listPulls(org, 'api').length + d.listPulls(org, 'web').length).toBe(pullsBefore);
    expect(trackingIssues(world, org, 'api')).toHaveLength(0);
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
  });

  it('reports where the real rollback would stop: a revert that conflicts with a later change', async () => {
    const org = 'drill-conflict';
    await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc` }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/svc`, branch: 'f', title: 'Feature', files: { 'src/app.txt': 'svc v2\n' } }]);
    await d.commit(org, 'svc', { branch: 'main', files: { 'src/app.txt': 'svc v3, built on v2\n' }, message: 'Later work on the same line' });
    await d.comment(ONCALL, org, 'svc', change.number, '/rollback drill');
    await world.settle();
    const report = commentsOn(world, org, 'svc', change.number).find((b) => b.includes('rehearsed on a private copy'));
    expect(report).toContain('Result: **would stop at wave 1 of 1** (stopped)');
    expect(report).toMatch(/\| 1 \| drill-conflict\/svc \| `conflict` \| conflict in src\/app.txt \|/);
    expect(revertBranches(world.sandbox, org, 'svc')).toEqual([]);
  });
});
