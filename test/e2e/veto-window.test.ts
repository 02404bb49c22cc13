/**
 * Veto windows of automatic reverts on the sandbox: with `auto_revert.grace`, Unwind announces the
 * revert on the culprit PR and waits; `/rollback cancel` by the author (not a reader), the label
 * `unwind:no-revert` or a fix that turns the trigger green stops it; otherwise it goes ahead once the
 * window has passed, once, also when Unwind restarted during the window; a PR labelled
 * `unwind:no-revert` is never reverted automatically but a manual `/rollback` works and warns. Every
 * outcome is a signed entry in the pending revert's ledger.
 * Tests wait for states, not time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, READER, renderContract, SRE_LEAD, type ServiceSpec } from '../../src/demo/seed-org.ts';
import { commentsOn, fileAt, ledgerOf, seed, startWorld, trackingIssues, until, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  // The reconciler runs every 2 s, as in the demo: a loop that lost its lease on a loaded machine resumes.
  world = await startWorld({ reconcileMs: 2_000 });
}, 180_000);
afterAll(async () => {
  await world?.close();
}, 180_000);

const PENDING = 'unwind:revert-pending';

/** An org whose api repo reverts automatically when `deploy` fails, after a veto window of `grace`. */
async function orgWithGrace(org: string, grace: string, extra = ''): Promise<{ culprit: number; mergeSha: string }> {
  const spec: ServiceSpec = { name: 'api', repo: `${org}/api`, autoRevert: { checks: ['deploy'] } };
  await seed(world, { org, services: [spec] });
  const d = world.sandbox.driver;
  await d.commit(org, 'api', { branch: 'main', files: { '.github/unwind.yml': `${renderContract(spec)}  grace: ${grace}\n${extra}` }, message: 'Veto window', author: SRE_LEAD });
  await world.settle();
  const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Break prod', files: { 'src/app.txt': 'api v2\n' } }]);
  await d.reportCheck(org, 'api', change.mergeSha, { name: 'deploy', result: 'failure' });
  await world.settle();
  return { culprit: change.number, mergeSha: change.mergeSha };
}


function pendingIssues(org: string): Array<{ number: number; state: string; labels: string[] }> {
  const out: Array<{ number: number; state: string; labels: string[] }> = [];
  for (let n = 1; n < 100; n++) {
    let issue;
    try {
      issue = world.sandbox.driver.getIssue(org, '.github', n);
    } catch {
      break;
    }
    if (issue.labels.includes(PENDING)) out.push({ number: n, state: issue.state, labels: issue.labels });
  }
  return out;
}

function outcomes(org: string, issue: number): string[] {
  return ledgerOf(world, org, '.github', issue).map((e) => `${e.action}:${e.outcome}`);
}

describe('veto windows of automatic reverts', () => {
  it('announces on the culprit PR, and `/rollback cancel` by the author stops it; a reader cannot', async () => {
    const org = 'veto-cmd';
    const { culprit } = await orgWithGrace(org, '1h');
    const [pending] = pendingIssues(org);
    expect(pending.state).toBe('open');
    expect(outcomes(org, pending.number)).toEqual(['planned:announced']);
    const notice = commentsOn(world, org, 'api', culprit).find((b) => b.includes('will revert this pull request automatically'));
    expect(notice).toContain('/rollback cancel');
    expect(notice).toContain('deploy');
    expect(trackingIssues(world, org, '.github')).toHaveLength(0); // nothing started yet

    const d = world.sandbox.driver;
    await d.comment(READER, org, 'api', culprit, '/rollback cancel');
    await world.settle();
    expect(commentsOn(world, org, 'api', culprit).some((b) => b.includes(`@${READER} cannot cancel this automatic revert`))).toBe(true);
    expect(pendingIssues(org)[0].state).toBe('open');

    await d.comment(ONCALL, org, 'api', culprit, '/rollback cancel --reason "the deploy failed for another reason"');
    await world.settle();
    expect(pendingIssues(org)[0].state).toBe('closed');
    const ledger = ledgerOf(world, org, '.github', pending.number);
    expect(ledger.map((e) => `${e.action}:${e.outcome}`)).toEqual(['planned:announced', 'abort:cancelled']);
    expect(ledger[1]).toMatchObject({ actor: ONCALL, details: { via: 'command', by: ONCALL } });
    expect(String(ledger[1].details.why)).toContain('the deploy failed for another reason');
    expect(commentsOn(world, org, 'api', culprit).some((b) => b.startsWith('Cancelled: the automatic revert'))).toBe(true);
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
  }, 180_000);

  it('the label unwind:no-revert stops it', async () => {
    const org = 'veto-label';
    const { culprit } = await orgWithGrace(org, '1h');
    const [pending] = pendingIssues(org);
    await world.sandbox.driver.addLabels(SRE_LEAD, org, 'api', culprit, ['unwind:no-revert']);
    await world.settle();
    expect(pendingIssues(org)[0].state).toBe('closed');
    const ledger = ledgerOf(world, org, '.github', pending.number);
    expect(ledger.map((e) => `${e.action}:${e.outcome}`)).toEqual(['planned:announced', 'abort:cancelled']);
    expect(ledger[1]).toMatchObject({ actor: SRE_LEAD, details: { via: 'label' } });
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
  }, 180_000);

  it('goes ahead when the window passes without a veto, once, and records it in the ledger', async () => {
    const org = 'veto-pass';
    // A short window: whatever the machine's speed, the revert may only start after it and only once.
    const { culprit } = await orgWithGrace(org, '2s');
    await until(world, () => pendingIssues(org)[0]?.state === 'closed' && trackingIssues(world, org, '.github')[0]?.state.status === 'completed', 'the automatic revert completed after its window', 400_000);
    const [tracking] = trackingIssues(world, org, '.github');
    expect(trackingIssues(world, org, '.github')).toHaveLength(1);
    expect(tracking.state.trigger).toBe('auto');
    expect(tracking.state.steps.map((s) => s.repo)).toEqual([`${org}/api`]);
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1'); // the culprit is reverted
    // The pending revert's ledger: announced, then reverting with a link to the rollback, each once.
    const [pending] = pendingIssues(org);
    expect(pendingIssues(org)).toHaveLength(1);
    const ledger = ledgerOf(world, org, '.github', pending.number);
    expect(ledger.map((e) => `${e.action}:${e.outcome}`)).toEqual(['planned:announced', 'status:reverting']);
    expect(ledger[1].rollback_id).toBe(tracking.state.id);
    expect(ledger[1].links).toContainEqual({ rel: 'tracking_issue', url: tracking.state.tracking.url });
    // It started no earlier than the deadline it announced.
    const deadline = String(ledger[0].details.deadline);
    expect(Date.parse(ledger[1].at)).toBeGreaterThanOrEqual(Date.parse(deadline));
    expect(Date.parse(tracking.state.timings.requestedAt)).toBeGreaterThanOrEqual(Date.parse(deadline));
    expect(commentsOn(world, org, 'api', culprit).filter((b) => b.includes('will revert this pull request automatically'))).toHaveLength(1);
  }, 480_000);

  it('a fix merged meanwhile that turns the trigger green stops it at once', async () => {
    const org = 'veto-fixed';
    await orgWithGrace(org, '1h');
    const d = world.sandbox.driver;
    const [fix] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'fix', title: 'Fix prod', files: { 'src/fix.txt': 'fixed\n' } }]);
    await d.reportCheck(org, 'api', fix.mergeSha, { name: 'deploy', result: 'success' });
    await until(world, () => pendingIssues(org)[0]?.state === 'closed', 'the window closed', 400_000);
    const ledger = ledgerOf(world, org, '.github', pendingIssues(org)[0].number);
    expect(ledger.map((e) => `${e.action}:${e.outcome}`)).toEqual(['planned:announced', 'abort:cancelled']);
    expect(ledger[1].details).toMatchObject({ via: 'fixed' });
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
  }, 240_000);

  it('a PR labelled unwind:no-revert is never reverted automatically; a manual /rollback still works', async () => {
    const org = 'veto-optout';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api`, autoRevert: { checks: ['deploy'] } }] });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Risky but intended', files: { 'src/app.txt': 'api v2\n' } }]);
    await d.addLabels(ONCALL, org, 'api', change.number, ['unwind:no-revert']);
    await d.reportCheck(org, 'api', change.mergeSha, { name: 'deploy', result: 'failure' });
    await world.settle();
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
    expect(pendingIssues(org)).toHaveLength(0);
    await d.comment(ONCALL, org, 'api', change.number, '/rollback --reason "it broke after all"');
    await world.settle();
    await until(world, () => trackingIssues(world, org, 'api').length === 1, 'the manual rollback started', 400_000);
    // The plan warns that the PR had opted out of automatic reverts.
    expect(trackingIssues(world, org, 'api')[0].state.warnings.some((w) => w.includes('exempt from automatic reverts (label unwind:no-revert)'))).toBe(true);
  }, 480_000);

  it("a PR whose description carries the contract's no_revert_marker is never reverted automatically; a manual /rollback works and warns", async () => {
    const org = 'veto-marker';
    const spec: ServiceSpec = { name: 'api', repo: `${org}/api`, autoRevert: { checks: ['deploy'] } };
    await seed(world, { org, services: [spec] });
    const d = world.sandbox.driver;
    await d.commit(org, 'api', { branch: 'main', files: { '.github/unwind.yml': `${renderContract(spec)}  no_revert_marker: "[no auto-revert]"\n` }, message: 'Opt-out marker', author: SRE_LEAD });
    await world.settle();
    // The PR's description is its title and a full stop (mergeChangeSet): the marker is in it.
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/api`, branch: 'f', title: 'Migration [no auto-revert]', files: { 'src/app.txt': 'api v2\n' } }]);
    expect(d.getIssue(org, 'api', change.number).body).toContain('[no auto-revert]');
    await d.reportCheck(org, 'api', change.mergeSha, { name: 'deploy', result: 'failure' });
    await world.settle();
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
    expect(pendingIssues(org)).toHaveLength(0);
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v2');
    await d.comment(ONCALL, org, 'api', change.number, '/rollback --reason "it broke after all"');
    await until(world, () => trackingIssues(world, org, 'api').length === 1, 'the manual rollback started', 400_000);
    const [tracking] = trackingIssues(world, org, 'api');
    const warning = `${org}/api#${change.number} is exempt from automatic reverts ("[no auto-revert]" in its description)`;
    expect(tracking.state.warnings.some((w) => w.includes(warning))).toBe(true);
    expect(tracking.state.planMarkdown).toContain('is exempt from automatic reverts');
  }, 480_000);

  it('survives a restart of Unwind during the window: it is found again (reconciler), neither lost nor repeated', async () => {
    const org = 'veto-restart';
    // An hour: the window is certainly still open when this process stops, however slow the machine.
    const { culprit } = await orgWithGrace(org, '1h');
    expect(pendingIssues(org)).toEqual([expect.objectContaining({ state: 'open' })]);
    expect(trackingIssues(world, org, '.github')).toHaveLength(0);
    const [pending] = pendingIssues(org);
    const deadline = Date.parse(String(ledgerOf(world, org, '.github', pending.number)[0].details.deadline));
    // A new process knows nothing of the old one's timers, only what is on GitHub. Its clock runs so that
    // the window ends a few seconds after it starts (rather than waiting out an hour): an outage
    // that lasted almost to the deadline.
    await world.server.close();
    const skew = deadline - 3_000 - Date.now();
    await world.startUnwind({ now: () => new Date(Date.now() + skew) });
    await until(world, () => pendingIssues(org)[0]?.state === 'closed' && trackingIssues(world, org, '.github')[0]?.state.status === 'completed', 'the automatic revert completed after a restart', 700_000);
    expect(pendingIssues(org)).toHaveLength(1);
    const ledger = ledgerOf(world, org, '.github', pending.number);
    expect(ledger.map((e) => `${e.action}:${e.outcome}`)).toEqual(['planned:announced', 'status:reverting']);
    expect(Date.parse(ledger[1].at)).toBeGreaterThanOrEqual(deadline);
    expect(trackingIssues(world, org, '.github')).toHaveLength(1);
    expect(ledger[1].rollback_id).toBe(trackingIssues(world, org, '.github')[0].state.id);
    expect(fileAt(world, org, 'api', 'main', 'src/app.txt')).toBe('api v1');
    expect(commentsOn(world, org, 'api', culprit).filter((b) => b.includes('will revert this pull request automatically'))).toHaveLength(1);
  }, 900_000);
});
