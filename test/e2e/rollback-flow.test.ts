/**
 * `/rollback` end to end: the real Probot server, signed webhooks from the sandbox in strict
 * OpenAPI mode, real git. Results are checked with git on the sandbox's bare repositories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { commentsOn, fileAt, git, ledgerOf, seed, startWorld, trackingIssues, until, type World, isRevertBranch } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

describe('/rollback across repositories', () => {
  it('rolls back a Depends-On change set in three waves (merge and squash commits), dependents first', async () => {
    const org = 'multi';
    await seed(world, {
      org,
      services: [
        { name: 'web', repo: `${org}/web`, dependsOn: ['api'], waitFor: ['ci'] },
        { name: 'api', repo: `${org}/api`, dependsOn: ['db'], waitFor: ['ci'], mergeMethod: 'squash' },
        { name: 'db', repo: `${org}/db`, waitFor: ['ci'] },
      ],
      ci: [{ name: 'ci', result: 'success', delayMs: 50 }],
    });
    const d = world.sandbox.driver;
    const before = { web: git(world, org, 'web', 'rev-parse', 'main'), api: git(world, org, 'api', 'rev-parse', 'main'), db: git(world, org, 'db', 'rev-parse', 'main') };
    const merged = await mergeChangeSet(d, org, [
      { repo: `${org}/db`, branch: 'schema', title: 'Add column', files: { 'src/app.txt': 'db v2\n', 'migrations/2.sql': 'alter table\n' } },
      { repo: `${org}/api`, branch: 'use-column', title: 'Use column', files: { 'src/app.txt': 'api v2\n' }, dependsOn: [0], method: 'squash' },
      { repo: `${org}/web`, branch: 'show-column', title: 'Show column', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [1] },
    ]);
    expect(git(world, org, 'db', 'rev-list', '--parents', '-n', '1', merged[0].mergeSha).split(' ')).toHaveLength(3); // a merge commit
    expect(git(world, org, 'api', 'rev-list', '--parents', '-n', '1', merged[1].mergeSha).split(' ')).toHaveLength(2); // a squash commit

    await d.comment(ONCALL, org, 'db', merged[0].number, '/rollback --reason "db errors"');
    await world.settle();

    const [tracking] = trackingIssues(world, org, 'db');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.open).toBe(false);
    expect(tracking.state.waveCount).toBe(3);
    expect(tracking.state.steps.map((s) => [s.wave, s.repo])).toEqual([[0, `${org}/web`], [1, `${org}/api`], [2, `${org}/db`]]);
    // Dependents first: each wave's revert merged before the next wave's.
    const mergedAt = tracking.state.steps.map((s) => Date.parse(s.mergedAt ?? ''));
    expect(mergedAt[0]).toBeLessThanOrEqual(mergedAt[1]);
    expect(mergedAt[1]).toBeLessThanOrEqual(mergedAt[2]);
    // git says every default branch has the content it had before the change set.
    for (const repo of ['web', 'api', 'db'] as const) {
      expect(git(world, org, repo, 'diff', '--stat', before[repo], 'main')).toBe('');
      const messages = git(world, org, repo, 'log', '--format=%B', `${before[repo]}..main`);
      expect(messages).toContain(`Rollback-Id: ${tracking.state.id}`);
    }
    expect(fileAt(world, org, 'db', 'main', 'migrations/2.sql')).toBeNull();
    // The ledger: contiguous sequence numbers, a completion record, policy version on each entry.
    const ledger = ledgerOf(world, org, 'db', tracking.number);
    expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
    expect(ledger.at(-1)?.action).toBe('completed');
    expect(ledger.every((e) => e.policy_version?.startsWith('sha256:'))).toBe(true);
    // Fast CI left no time to spare between waves: every wave's record is in the completion entry,
    // so GitHub's comment pacing held back no revert. Two comments: the request, the completion.
    expect(ledger.map((e) => e.action)).toEqual(['requested', 'completed']);
    const waves = ledger[1].details.waves as Array<{ wave: number; steps: Array<{ repo: string; pull: string; merge_sha: string }> }>;
    expect(waves.map((w) => [w.wave, w.steps.map((st) => st.repo)])).toEqual([[0, [`${org}/web`]], [1, [`${org}/api`]], [2, [`${org}/db`]]]);
    for (const w of waves) expect(w.steps[0].merge_sha).toBe(tracking.state.steps[w.wave].mergeSha);
    // The origin PR links to the tracking issue; revert PRs follow SPEC §5.
    expect(commentsOn(world, org, 'db', merged[0].number).some((b) => b.includes(`/issues/${tracking.number}`))).toBe(true);
    const prNumber = tracking.state.steps[0].pr!.number;
    const revertIssue = d.getIssue(org, 'web', prNumber);
    expect(revertIssue.title).toBe('Revert "Show column"');
    expect(revertIssue.body).toContain(`Rollback-Id: ${tracking.state.id}`);
    expect(revertIssue.body).toContain(`${org}/web/pull/${merged[2].number}`);
    expect(d.getPull(org, 'web', prNumber).merged).toBe(true);
  });

  it('reverts a single squash-merged PR in one repo and ignores a redelivered command', async () => {
    const org = 'single';
    await seed(world, { org, services: [{ name: 'solo', repo: `${org}/solo` }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/solo`, branch: 'x', title: 'Break things', files: { 'src/app.txt': 'broken\n' }, method: 'squash' }]);
    await d.comment(ONCALL, org, 'solo', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'solo');
    expect(tracking.state.status).toBe('completed');
    expect(fileAt(world, org, 'solo', 'main', 'src/app.txt')).toBe('solo v1');
    const prsBefore = d.listPulls(org, 'solo').length;
    const commentsBefore = commentsOn(world, org, 'solo', tracking.number).length;
    // GitHub redelivers the same command: nothing new may happen.
    const delivery = world.sandbox.deliveries().filter((x) => x.event === 'issue_comment').at(-1)!;
    await world.sandbox.redeliver(delivery.id);
    await world.settle();
    expect(trackingIssues(world, org, 'solo')).toHaveLength(1);
    expect(d.listPulls(org, 'solo')).toHaveLength(prsBefore);
    expect(commentsOn(world, org, 'solo', tracking.number)).toHaveLength(commentsBefore);
  });

  it('writes a wave\'s ledger entry on its own while the next wave waits for checks', async () => {
    await world.server.close();
    await world.startUnwind({ ledgerIdleMs: 100 });
    try {
      const org = 'paced';
      await seed(world, {
        org,
        services: [
          { name: 'web', repo: `${org}/web`, dependsOn: ['api'], waitFor: ['ci'] },
          { name: 'api', repo: `${org}/api`, dependsOn: ['db'], waitFor: ['ci'] },
          { name: 'db', repo: `${org}/db`, waitFor: ['ci'] },
        ],
        // No CI of its own: the test passes each revert PR's check, so each later wave waits (longer
        // than ledgerIdleMs) until the previous wave's entry is written, whatever the machine's speed.
      });
      const d = world.sandbox.driver;
      const merged = await mergeChangeSet(d, org, [
        { repo: `${org}/db`, branch: 'a', title: 'Add column', files: { 'migrations/2.sql': 'alter\n' } },
        { repo: `${org}/api`, branch: 'b', title: 'Use column', files: { 'src/app.txt': 'api v2\n' }, dependsOn: [0] },
        { repo: `${org}/web`, branch: 'c', title: 'Show column', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [1] },
      ]);
      await d.comment(ONCALL, org, 'db', merged[0].number, '/rollback');
      const revertPr = (repo: string) => d.listPulls(org, repo).find((p) => isRevertBranch(p.headRef));
      const waveEntries = () => {
        const [t] = trackingIssues(world, org, 'db');
        return t ? ledgerOf(world, org, 'db', t.number).filter((e) => e.action === 'wave_completed').length : 0;
      };
      for (const [wave, repo] of ['web', 'api', 'db'].entries()) {
        await until(world, () => revertPr(repo) !== undefined && waveEntries() === wave, `the revert PR of ${repo} after ${wave} wave entries`);
        await d.reportCheck(org, repo, revertPr(repo)!.headSha, { name: 'ci', result: 'success' });
      }
      await world.settle();
      const [tracking] = trackingIssues(world, org, 'db');
      expect(tracking.state.status).toBe('completed');
      expect(tracking.state.pendingWaveEntries).toEqual([]);
      const ledger = ledgerOf(world, org, 'db', tracking.number);
      expect(ledger.map((e) => e.action)).toEqual(['requested', 'wave_completed', 'wave_completed', 'completed']);
      expect(ledger.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(ledger.slice(1, 3).map((e) => e.details.wave)).toEqual([0, 1]);
      expect((ledger[3].details.waves as Array<{ wave: number }>).map((w) => w.wave)).toEqual([2]);
      // Each wave entry was written after its wave, while a later wave's checks ran.
      expect(Date.parse(ledger[1].at)).toBeGreaterThanOrEqual(Date.parse(tracking.state.steps[0].verifiedAt!));
      expect(Date.parse(ledger[2].at)).toBeGreaterThanOrEqual(Date.parse(tracking.state.steps[1].verifiedAt!));
    } finally {
      await world.server.close();
      await world.startUnwind();
    }
  });
});
