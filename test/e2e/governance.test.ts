/** Policy on the real flow: deny, pending-then-approve (self-approval refused), the kill switch. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, READER, SRE_LEAD } from '../../src/demo/seed-org.ts';
import { commentsOn, fileAt, git, ledgerOf, seed, startWorld, trackingIssues, revertBranches, type World } from './support/world.ts';

// A Sunday night: prod-tier rollbacks need an approval from the sre team under the shipped policy.
const SUNDAY_NIGHT = Date.parse('2026-11-22T03:00:00Z');
const started = Date.now();
let world: World;
beforeAll(async () => {
  world = await startWorld({ now: () => new Date(SUNDAY_NIGHT + (Date.now() - started)) });
});
afterAll(async () => {
  await world?.close();
});

async function seedOne(org: string, tier?: string) {
  await seed(world, { org, services: [{ name: 'pay', repo: `${org}/pay`, tier, owners: [ONCALL] }] });
  const [change] = await mergeChangeSet(world.sandbox.driver, org, [{ repo: `${org}/pay`, branch: 'b', title: 'Risky change', files: { 'src/app.txt': 'pay v2\n' } }]);
  return change;
}

describe('governance on /rollback', () => {
  it('denies a reader and records the decision; nothing is reverted', async () => {
    const org = 'gov-deny';
    const change = await seedOne(org);
    await world.sandbox.driver.comment(READER, org, 'pay', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('denied');
    expect(tracking.open).toBe(false);
    expect(tracking.state.decision.reasons.some((r) => r.enforcement === 'hard')).toBe(true);
    // One entry records the request, its plan and the policy's decision.
    const [request] = ledgerOf(world, org, 'pay', tracking.number);
    expect(request.action).toBe('requested');
    expect(request.outcome).toBe('denied');
    expect(request.decision?.allow).toBe(false);
    expect(commentsOn(world, org, 'pay', change.number).some((b) => b.includes('**denied**'))).toBe(true);
    expect(revertBranches(world.sandbox, org, 'pay')).toEqual([]);
    expect(fileAt(world, org, 'pay', 'main', 'src/app.txt')).toBe('pay v2');
  });

  it('waits for an approval from the sre team, refuses self-approval and outsiders, then rolls back', async () => {
    const org = 'gov-approve';
    const change = await seedOne(org, 'prod');
    const d = world.sandbox.driver;
    await d.comment(ONCALL, org, 'pay', change.number, '/rollback --reason "payments failing"');
    await world.settle();
    let [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('awaiting_approval');
    expect(tracking.state.decision.approverTeams).toEqual(['sre']);
    expect(revertBranches(world.sandbox, org, 'pay')).toEqual([]);

    await d.comment(ONCALL, org, 'pay', tracking.number, '/rollback approve');
    await d.comment(READER, org, 'pay', tracking.number, '/rollback approve');
    await world.settle();
    [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('awaiting_approval');
    const replies = commentsOn(world, org, 'pay', tracking.number);
    expect(replies.some((b) => b.includes('someone else must approve'))).toBe(true);
    expect(replies.some((b) => b.includes(`@${READER}, your approval`))).toBe(true);

    await d.comment(SRE_LEAD, org, 'pay', tracking.number, '/rollback approve');
    await world.settle();
    [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('completed');
    expect(tracking.state.approvals.map((a) => a.login)).toEqual([SRE_LEAD]);
    const approvals = ledgerOf(world, org, 'pay', tracking.number).filter((e) => e.action === 'approval');
    expect(approvals.map((e) => [e.actor, e.outcome])).toEqual([[ONCALL, 'rejected'], [READER, 'rejected'], [SRE_LEAD, 'accepted']]);
    const seqs = ledgerOf(world, org, 'pay', tracking.number).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(fileAt(world, org, 'pay', 'main', 'src/app.txt')).toBe('pay v1');
  });

  it('finishes an approval that crashed before its decision was recorded: the restarted Unwind acts on it, a redelivery changes nothing', async () => {
    const org = 'gov-redeliver';
    const change = await seedOne(org, 'prod');
    const d = world.sandbox.driver;
    await d.comment(ONCALL, org, 'pay', change.number, '/rollback');
    await world.settle();
    let [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('awaiting_approval');
    // An Unwind that dies after recording the approval, before the re-evaluated decision.
    let crashed = false;
    await world.server.close();
    await world.startUnwind({
      beforeEffect: (point) => {
        if (point === 'record:decision' && !crashed) {
          crashed = true;
          throw new Error('simulated crash');
        }
      },
    });
    const deliveriesBefore = world.sandbox.deliveries().length;
    await d.comment(SRE_LEAD, org, 'pay', tracking.number, '/rollback approve');
    await world.settle();
    expect(crashed).toBe(true);
    [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('awaiting_approval');
    expect(tracking.state.approvals.map((a) => a.login)).toEqual([SRE_LEAD]);
    // A restart: the reconciler finds the approval in the ledger with no decision after it, and decides.
    await world.server.close();
    await world.startUnwind();
    await world.settle();
    [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('completed');
    // GitHub redelivers the approve comment anyway: nothing is recorded twice.
    const delivery = world.sandbox.deliveries().slice(deliveriesBefore).find((x) => x.event === 'issue_comment')!;
    await world.sandbox.redeliver(delivery.id);
    await world.settle();
    [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('completed');
    const ledger = ledgerOf(world, org, 'pay', tracking.number);
    expect(ledger.map((e) => `${e.action}:${e.outcome}`)).toEqual(['requested:pending', 'approval:accepted', 'decision:allowed', 'completed:completed']);
    expect(fileAt(world, org, 'pay', 'main', 'src/app.txt')).toBe('pay v1');
  });

  it('stops everything while an unwind:pause issue is open in the org config repo', async () => {
    const org = 'gov-pause';
    const change = await seedOne(org);
    await world.sandbox.driver.createIssue(SRE_LEAD, org, '.github', { title: 'Freeze', labels: ['unwind:pause'] });
    await world.sandbox.driver.comment(ONCALL, org, 'pay', change.number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('denied');
    expect(tracking.state.decision.reasons.map((r) => r.reason).join(' ')).toMatch(/paused/);
    expect(fileAt(world, org, 'pay', 'main', 'src/app.txt')).toBe('pay v2');
  });
});
