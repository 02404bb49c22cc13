/** The org's rollback registry on the real flow: one lock per repository whatever the origin, released at the end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, SRE_LEAD } from '../../src/demo/seed-org.ts';
import { REGISTRY_BRANCH } from '../../src/registry/registry-store.ts';
import { commentsOn, git, ledgerOf, seed, startWorld, trackingIssues, until, type World, isRevertBranch, rollbackOfPull } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

function registry(org: string): { locks: Record<string, { rollback: string }>; rollbacks: Record<string, unknown>; recent: Array<{ rollback: string; status: string }> } {
  return (JSON.parse(git(world, org, '.github', 'show', `${REGISTRY_BRANCH}:unwind/registry.json`)) as { doc: ReturnType<typeof registry> }).doc;
}

describe('the rollback registry', () => {
  it('two /rollback commands on the same repository from different origins at the same instant: exactly one proceeds', async () => {
    const org = 'reg-race';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api` }] });
    const d = world.sandbox.driver;
    await d.createRepo(org, 'incidents');
    await d.addCollaborator(org, 'incidents', ONCALL, 'write');
    await d.addCollaborator(org, 'incidents', SRE_LEAD, 'write');
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'b', title: 'Change', files: { 'src/app.txt': 'api v2\n' } }]);
    const incident = await d.createIssue(SRE_LEAD, org, 'incidents', { title: 'Outage' });
    await Promise.all([d.comment(ONCALL, org, 'api', change.number, '/rollback'), d.comment(SRE_LEAD, org, 'incidents', incident, `/rollback ${org}/api#${change.number}`)]);
    await world.settle();
    const tracked = [...trackingIssues(world, org, 'api'), ...trackingIssues(world, org, 'incidents')];
    expect(tracked).toHaveLength(1);
    expect(tracked[0].state.status).toBe('completed');
    const winner = tracked[0].state.id;
    // The loser was told who holds the repository, and left nothing behind: no branch, PR or ledger of its own.
    const replies = [...commentsOn(world, org, 'api', change.number), ...commentsOn(world, org, 'incidents', incident)];
    expect(replies.filter((b) => b.includes('is held by rollback') && b.includes(winner))).toHaveLength(1);
    expect(d.listPulls(org, 'api').filter((p) => isRevertBranch(p.headRef)).map((p) => rollbackOfPull(world.sandbox, org, 'api', p.number))).toEqual([winner]);
    expect(d.listPulls(org, 'api').filter((p) => isRevertBranch(p.headRef))).toHaveLength(1);
    expect(ledgerOf(world, org, tracked[0].state.tracking.repo.split('/')[1], tracked[0].number).every((e) => e.rollback_id === winner)).toBe(true);
    // Completed: its locks are released, and the registry's history tells the story.
    const doc = registry(org);
    expect(doc.locks).toEqual({});
    expect(doc.recent.map((r) => [r.rollback, r.status])).toEqual([[winner, 'completed']]);
    // (Lease renewals, made while a long wave waits, are left out of this reading, and so are leases taken
    // again by a replica whose lease ran out by its own clock: a late renewal under load.)
    const history = git(world, org, '.github', 'log', '--format=%s', REGISTRY_BRANCH)
      .split('\n')
      .filter((line) => !line.startsWith('leases renewed by') && !line.startsWith(`${winner}: lease taken by `));
    // Two commits start a rollback: its locks with the start's claim (before the tracking issue exists), then the
    // tracking issue with a renewal of that claim, which the loop takes over.
    expect(history.slice(0, 3)).toEqual([
      `${winner}: completed, locks released`,
      expect.stringMatching(new RegExp(`^${winner}: tracked at ${org}/\\S+#\\d+; lease renewed by `)),
      expect.stringMatching(new RegExp(`^${winner}: lock ${org}/api; lease taken by `)),
    ]);
  });

  it('a rollback requested from an incident issue holds the repository against a /rollback on that repository', async () => {
    const org = 'reg-hold';
    // CI never reports on revert PRs here: the first rollback stays running, holding api.
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, waitFor: ['ci'] }] });
    const d = world.sandbox.driver;
    await d.createRepo(org, 'incidents');
    await d.addCollaborator(org, 'incidents', SRE_LEAD, 'write');
    const [one, two] = await mergeChangeSet(d, org, [
      { repo: `${org}/api`, branch: 'a', title: 'One', files: { 'src/app.txt': 'api v2\n' } },
      { repo: `${org}/api`, branch: 'b', title: 'Two', files: { 'src/other.txt': 'x\n' } },
    ]);
    const incident = await d.createIssue(SRE_LEAD, org, 'incidents', { title: 'Outage' });
    await d.comment(SRE_LEAD, org, 'incidents', incident, `/rollback ${org}/api#${one.number}`);
    await until(world, () => trackingIssues(world, org, 'incidents').length > 0, 'the first rollback');
    const holder = trackingIssues(world, org, 'incidents')[0];
    await d.comment(ONCALL, org, 'api', two.number, '/rollback');
    await until(world, () => commentsOn(world, org, 'api', two.number).some((b) => b.includes('is held by rollback')), 'the reply naming the holder');
    expect(commentsOn(world, org, 'api', two.number).some((b) => b.includes(`is held by rollback \`${holder.state.id}\``))).toBe(true);
    expect(trackingIssues(world, org, 'api')).toHaveLength(0);
    expect(Object.keys(registry(org).locks)).toEqual([`${org}/api`]);
    // `status <id>` on the api PR finds the rollback tracked in the incidents repository through the registry.
    await d.comment(ONCALL, org, 'api', two.number, `/rollback status ${holder.state.id}`);
    await until(world, () => commentsOn(world, org, 'api', two.number).some((b) => b.includes(holder.state.tracking.url) && /running/.test(b)), 'the status of the holder');
    // `status` without an id, on an api issue with no rollback of its own, names the holder from the registry.
    const question = await d.createIssue(ONCALL, org, 'api', { title: 'Is api held?' });
    await d.comment(ONCALL, org, 'api', question, '/rollback status');
    await until(world, () => commentsOn(world, org, 'api', question).some((b) => b.includes(`This repository is held by rollback \`${holder.state.id}\`: ${holder.state.tracking.url}`)), 'status naming the holder tracked in incidents');
    // Aborting the holder releases the repository.
    await d.comment(SRE_LEAD, org, 'incidents', holder.number, '/rollback abort');
    await world.settle();
    expect(registry(org).locks).toEqual({});
  });
});
