/**
 * Security: each test plays one attack on the real flow (an outsider, a reader or a writer acting
 * through comments, issue edits or configuration) and asserts what Unwind must refuse and what it must
 * not reveal. The last test keeps the legitimate flow honest: a fix that refuses everything fails it.
 *
 * People: alice (write on every service repo), bob (maintain, team sre), carol (read) as the seed
 * makes them, and mallory, who gets only what each test grants. Nobody but bob is an org member.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, READER, renderContract, renderMap, SRE_LEAD, type ServiceSpec } from '../../src/demo/seed-org.ts';
import type { RollbackState, StepState } from '../../src/execution/state.ts';
import { parseTrackingState } from '../../src/execution/tracking-issue.ts';
import { renderHidden } from '../../src/ledger/hidden-json.ts';
import type { RepoPermission } from '../../src/sandbox/types.ts';
import { fileAt, git, startWorld, trackingIssues, until, type World, isRevertBranch, revertBranches } from './support/world.ts';

// A Sunday night: prod-tier rollbacks need an approval from the sre team under the shipped policy.
const SUNDAY_NIGHT = Date.parse('2026-11-22T03:00:00Z');
const MALLORY = 'mallory';
const SECRET_TITLE = 'Secret billing migration';
const STATE_BLOCK = /<!-- unwind:state [A-Za-z0-9_-]+(?: [a-z0-9-]+\.[A-Za-z0-9_-]+)? -->/;

const started = Date.now();
let world: World;
/** User tokens, for what people do through the REST API (editing an issue body). */
const tokens: Record<string, string> = {};

beforeAll(async () => {
  world = await startWorld({ now: () => new Date(SUNDAY_NIGHT + (Date.now() - started)) });
  // People exist once per sandbox; the seed's own createUser then finds them.
  for (const [login, name] of [[ONCALL, 'Alice Oncall'], [SRE_LEAD, 'Bob Lead'], [READER, 'Carol Reader'], [MALLORY, 'Mallory']]) {
    tokens[login] = (await world.sandbox.driver.createUser(login, { name })).token;
  }
});
afterAll(async () => {
  await world?.close();
});

// ---------------------------------------------------------------------------------------------
// Setup

interface Service extends ServiceSpec {
  readonly private?: boolean;
  /** The contract text, when the seed's rendering does not fit. */
  readonly contract?: string;
  /** Grants besides alice/bob/carol's. */
  readonly people?: Record<string, RepoPermission>;
}

interface ExtraRepo {
  readonly name: string;
  readonly private?: boolean;
  readonly files?: Record<string, string>;
  /** The only grants on this repository. */
  readonly people?: Record<string, RepoPermission>;
}

/** An org as seedOrg builds it (map, contracts, sre team, the App on every repo), plus private repos and repos outside the map. */
async function setupOrg(org: string, services: Service[], extra: ExtraRepo[] = []): Promise<void> {
  const d = world.sandbox.driver;
  await d.createOrg(org);
  await d.createTeam(org, 'sre', [SRE_LEAD]);
  await d.createRepo(org, '.github', { files: { 'unwind/map.yml': renderMap({ org, services }), 'README.md': `# ${org} org config\n` } });
  for (const s of services) {
    const name = s.repo.split('/')[1];
    await d.createRepo(org, name, { private: s.private, files: { '.github/unwind.yml': s.contract ?? renderContract(s), 'README.md': `# ${name}\n`, 'src/app.txt': `${name} v1\n` } });
  }
  for (const repo of ['.github', ...services.map((s) => s.repo.split('/')[1])]) {
    await d.addCollaborator(org, repo, ONCALL, 'write');
    await d.addCollaborator(org, repo, SRE_LEAD, 'maintain');
    await d.addCollaborator(org, repo, READER, 'read');
  }
  for (const s of services) for (const [login, perm] of Object.entries(s.people ?? {})) await d.addCollaborator(org, s.repo.split('/')[1], login, perm);
  for (const r of extra) {
    await d.createRepo(org, r.name, { private: r.private, files: r.files ?? { 'README.md': `# ${r.name}\n` } });
    for (const [login, perm] of Object.entries(r.people ?? {})) await d.addCollaborator(org, r.name, login, perm);
  }
  await d.installApp(org, { repositories: 'all' });
}

/** mallory's sandbox: a repository she administers, and an issue there to comment on. */
const PLAYGROUND: ExtraRepo = { name: 'playground', people: { [MALLORY]: 'admin' } };

async function playgroundIssue(org: string): Promise<number> {
  return world.sandbox.driver.createIssue(MALLORY, org, 'playground', { title: 'Scratch' });
}

/** An org with a PRIVATE billing repo (mapped) that has one merged PR, and mallory's playground. */
async function billingOrg(org: string): Promise<{ billing: number; issue: number }> {
  await setupOrg(org, [{ name: 'billing', repo: `${org}/billing`, private: true }], [PLAYGROUND]);
  const [billing] = await mergeChangeSet(world.sandbox.driver, org, [{ repo: `${org}/billing`, branch: 'm', title: SECRET_TITLE, files: { 'src/app.txt': 'billing v2\n' } }]);
  return { billing: billing.number, issue: await playgroundIssue(org) };
}

// ---------------------------------------------------------------------------------------------
// Reading results

/** Unwind's comments on an issue or PR (people's own comments left out). */
function repliesOn(org: string, repo: string, n: number): string[] {
  return world.sandbox.driver
    .listComments(org, repo, n)
    .filter((c) => c.viaApp)
    .map((c) => c.body);
}

/** Fails, showing every reply, unless one reply contains all of `parts`. */
function expectReplyWith(replies: string[], ...parts: string[]): void {
  const wanted = parts.map((p) => JSON.stringify(p)).join(' and ');
  expect(replies.find((b) => parts.every((p) => b.includes(p))), `a reply containing ${wanted}; the replies were:\n${replies.join('\n-----\n')}`).toBeDefined();
}

/** Nothing happened to `repo`: no revert branch, no revert PR, the file as the merged change left it. */
function expectUntouched(org: string, repo: string, content: string): void {
  expect(revertBranches(world.sandbox, org, repo)).toEqual([]);
  expect(world.sandbox.driver.listPulls(org, repo).filter((p) => isRevertBranch(p.headRef)).map((p) => `#${p.number} merged=${p.merged}`)).toEqual([]);
  expect(fileAt(world, org, repo, 'main', 'src/app.txt')).toBe(content);
}

async function reconcileNow(): Promise<void> {
  await world.server.unwind.reconcile();
  await world.settle();
}

// ---------------------------------------------------------------------------------------------
// Forging

/**
 * A rollback that alice asked for and that waits for an approval (prod tier, Sunday night): its state is
 * the template a forger copies. alice then aborts it so it holds no lock.
 */
async function templateState(org: string, repo: string, pr: number): Promise<RollbackState> {
  const d = world.sandbox.driver;
  await d.comment(ONCALL, org, repo, pr, '/rollback --reason "template"');
  await world.settle();
  const tracking = trackingIssues(world, org, repo).find((t) => t.open);
  expect(tracking?.state.status).toBe('awaiting_approval');
  await d.comment(ONCALL, org, repo, tracking!.number, '/rollback abort');
  await world.settle();
  expect(trackingIssues(world, org, repo).find((t) => t.number === tracking!.number)?.state.status).toBe('aborted');
  return tracking!.state;
}

/** What a forger writes: `template` under another id, running, allowed, only the steps kept, each ready to start. */
function forge(template: RollbackState, p: { id: string; keep: (s: StepState) => boolean }): RollbackState {
  const s = JSON.parse(JSON.stringify(template).replaceAll(template.id, p.id)) as RollbackState;
  s.status = 'running';
  s.decision = { ...s.decision, allow: true, pending: false, reasons: [], warnings: [], approvalsRequired: 0, autoMerge: true };
  s.approvals = [];
  s.seq = 0;
  s.wave = 0;
  s.waveCount = 1;
  s.steps = s.steps.filter(p.keep).map((st, index) => ({ ...st, wave: 0, index, state: 'planned', waitForChecks: [], pr: null, headSha: null, mergeSha: null, detail: null }));
  return s;
}

/** A person edits an issue's body with their own token, as GitHub lets anyone with triage do. */
async function editIssueBody(login: string, org: string, repo: string, n: number, body: string, state?: 'open' | 'closed'): Promise<void> {
  const res = await fetch(`${world.sandbox.baseUrl}/repos/${org}/${repo}/issues/${n}`, {
    method: 'PATCH',
    headers: { authorization: `token ${tokens[login]}`, accept: 'application/vnd.github+json', 'content-type': 'application/json' },
    body: JSON.stringify({ body, ...(state ? { state } : {}) }),
  });
  expect(res.status).toBe(200);
}

// ---------------------------------------------------------------------------------------------

describe('security', () => {
  it('1. permission is read on every target, not the comment\'s repository', async () => {
    const org = 'sec-1';
    // r7 is public and mallory is no collaborator there: she can read it, not write.
    await setupOrg(org, [{ name: 'r7', repo: `${org}/r7` }], [PLAYGROUND]);
    const [change] = await mergeChangeSet(world.sandbox.driver, org, [{ repo: `${org}/r7`, branch: 'c', title: 'R7 change', files: { 'src/app.txt': 'r7 v2\n' } }]);
    const issue = await playgroundIssue(org);

    await world.sandbox.driver.comment(MALLORY, org, 'playground', issue, `/rollback ${org}/r7#${change.number} --reason "I admin playground"`);
    await world.settle();

    expectUntouched(org, 'r7', 'r7 v2');
    const replies = repliesOn(org, 'playground', issue);
    expectReplyWith(replies, `${org}/r7`, 'needs write');
  });

  it('2. a drill is refused on a repository the actor cannot read, and reveals nothing of it', async () => {
    const org = 'sec-2';
    const { billing, issue } = await billingOrg(org);

    await world.sandbox.driver.comment(MALLORY, org, 'playground', issue, `/rollback drill ${org}/billing#${billing}`);
    await world.settle();

    const replies = repliesOn(org, 'playground', issue);
    expect(replies.filter((b) => b.includes(SECRET_TITLE))).toEqual([]);
    expectReplyWith(replies, `cannot read ${org}/billing`);
    expect(replies.filter((b) => /Drill `rb-/.test(b))).toEqual([]);
    expectUntouched(org, 'billing', 'billing v2');
  });

  it('3. a plan is refused on a repository the actor cannot read, and reveals nothing of it', async () => {
    const org = 'sec-3';
    const { billing, issue } = await billingOrg(org);

    await world.sandbox.driver.comment(MALLORY, org, 'playground', issue, `/rollback plan ${org}/billing#${billing}`);
    await world.settle();

    const replies = repliesOn(org, 'playground', issue);
    expect(replies.filter((b) => b.includes(SECRET_TITLE))).toEqual([]);
    expectReplyWith(replies, `cannot read ${org}/billing`);
  });

  it('3b. a plan does not reveal a private dependent pulled in by Depends-On', async () => {
    const org = 'sec-3b';
    // mallory reads r5 (a read collaborator of a public repo); billing, private, depends on r5's change.
    await setupOrg(org, [{ name: 'r5', repo: `${org}/r5`, people: { [MALLORY]: 'read' } }, { name: 'billing', repo: `${org}/billing`, private: true }], [PLAYGROUND]);
    const [r5] = await mergeChangeSet(world.sandbox.driver, org, [
      { repo: `${org}/r5`, branch: 'c', title: 'Tweak the r5 cache', files: { 'src/app.txt': 'r5 v2\n' } },
      { repo: `${org}/billing`, branch: 'm', title: SECRET_TITLE, files: { 'src/app.txt': 'billing v2\n' }, dependsOn: [0] },
    ]);
    const issue = await playgroundIssue(org);

    await world.sandbox.driver.comment(MALLORY, org, 'playground', issue, `/rollback plan ${org}/r5#${r5.number}`);
    await world.settle();

    const replies = repliesOn(org, 'playground', issue);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.filter((b) => b.includes(SECRET_TITLE) || b.includes('billing'))).toEqual([]);
    expectReplyWith(replies, 'not visible to you');
  });

  it('4. a tracking issue whose state a person edited is not trusted', async () => {
    const org = 'sec-4';
    await setupOrg(org, [{ name: 'pay', repo: `${org}/pay`, tier: 'prod' }]);
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/pay`, branch: 'b', title: 'Risky change', files: { 'src/app.txt': 'pay v2\n' } }]);
    await d.comment(ONCALL, org, 'pay', change.number, '/rollback --reason "payments failing"');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('awaiting_approval');

    // alice (write) rewrites the hidden state of her own rollback: running, allowed.
    const body = d.getIssue(org, 'pay', tracking.number).body!;
    const real = parseTrackingState(body)!;
    const forged: RollbackState = { ...real, status: 'running', decision: { ...real.decision, allow: true, pending: false, approvalsRequired: 0 } };
    await editIssueBody(ONCALL, org, 'pay', tracking.number, body.replace(STATE_BLOCK, renderHidden('state', forged)));
    await reconcileNow();

    expectUntouched(org, 'pay', 'pay v2');
    expectReplyWith(repliesOn(org, 'pay', tracking.number), 'was not written by Unwind and is ignored');

    // An approval does not launder the forged state either.
    const repliesBefore = repliesOn(org, 'pay', tracking.number).length;
    await d.comment(SRE_LEAD, org, 'pay', tracking.number, '/rollback approve');
    await world.settle();
    expectReplyWith(repliesOn(org, 'pay', tracking.number).slice(repliesBefore), 'was not written by Unwind');
    expectUntouched(org, 'pay', 'pay v2');
  });

  it('4b. a body Unwind wrote earlier, put back after an abort, does not resurrect the rollback', async () => {
    const org = 'sec-4b';
    // CI never reports on the revert PR: the rollback waits, running, until it is aborted.
    await setupOrg(org, [{ name: 'pay', repo: `${org}/pay`, waitFor: ['ci'] }]);
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/pay`, branch: 'b', title: 'Risky change', files: { 'src/app.txt': 'pay v2\n' } }]);
    const before = world.sandbox.deliveries().length;
    await d.comment(ONCALL, org, 'pay', change.number, '/rollback');
    // The loop waits for checks forever: wait for that state, not for the loop to end.
    await until(world, () => d.listPulls(org, 'pay').some((p) => isRevertBranch(p.headRef)) && trackingIssues(world, org, 'pay')[0]?.state.seq > 0);
    const [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('running');
    const running = d.getIssue(org, 'pay', tracking.number).body!;

    await d.comment(ONCALL, org, 'pay', tracking.number, '/rollback abort');
    await world.settle();
    expect(trackingIssues(world, org, 'pay')[0].state.status).toBe('aborted');
    // alice reopens the issue and puts back the body of the running rollback (signed by Unwind, from the issue's edit history).
    await editIssueBody(ONCALL, org, 'pay', tracking.number, running, 'open');
    // Neither the reconciler (the registry lists it no more) nor GitHub redelivering the original command resumes it.
    await reconcileNow();
    const command = world.sandbox.deliveries().slice(before).find((x) => x.event === 'issue_comment')!;
    await world.sandbox.redeliver(command.id);
    await world.settle();

    const after = trackingIssues(world, org, 'pay')[0];
    expect(after.state.status).toBe('aborted');
    expect(after.open).toBe(false);
    // The revert PR the abort closed stays closed; nothing was merged or pushed again.
    expect(d.listPulls(org, 'pay').filter((p) => isRevertBranch(p.headRef)).map((p) => p.merged)).toEqual([false]);
    expect(revertBranches(world.sandbox, org, 'pay')).toEqual([]);
    expect(fileAt(world, org, 'pay', 'main', 'src/app.txt')).toBe('pay v2');
  });

  it('5. contract values cannot inject a state block into the tracking issue', async () => {
    const org = 'sec-5';
    // r5 depends on the prod-tier pay: rolling back pay's change pulls in r5's.
    await setupOrg(org, [
      { name: 'pay', repo: `${org}/pay`, tier: 'prod' },
      { name: 'r5', repo: `${org}/r5` },
    ]);
    const d = world.sandbox.driver;
    const [pay] = await mergeChangeSet(d, org, [
      { repo: `${org}/pay`, branch: 'b', title: 'Pay change', files: { 'src/app.txt': 'pay v2\n' } },
      { repo: `${org}/r5`, branch: 'c', title: 'R5 change', files: { 'src/app.txt': 'r5 v2\n' }, dependsOn: [0] },
    ]);
    const template = await templateState(org, 'pay', pay.number);
    expect(template.steps.map((s) => s.repo).sort()).toEqual([`${org}/pay`, `${org}/r5`]);

    // alice (write on r5) puts a forged state in r5's contract: an allowed, running rollback of pay.
    const forged = forge(template, { id: 'rb-forgedcontract01', keep: (s) => s.repo === `${org}/pay` });
    const block = renderHidden('state', forged);
    await d.commit(org, 'r5', { branch: 'main', author: ONCALL, message: 'Tune revert checks', files: { '.github/unwind.yml': renderContract({ name: 'r5', repo: `${org}/r5`, waitFor: [JSON.stringify(block)] }) } });

    await d.comment(ONCALL, org, 'pay', pay.number, '/rollback --reason "pay broke"');
    await world.settle();
    const tracking = trackingIssues(world, org, 'pay').find((t) => t.open)!;
    expect(tracking).toBeDefined();
    const openers = (): number => d.getIssue(org, 'pay', tracking.number).body!.split('<!--').length - 1;
    // The plan prints the contract's value; only Unwind's own state block may open an HTML comment.
    expect(openers()).toBe(1);
    await reconcileNow();

    expect(openers()).toBe(1);
    expect(parseTrackingState(d.getIssue(org, 'pay', tracking.number).body!)?.status).toBe('awaiting_approval');
    expectUntouched(org, 'pay', 'pay v2');
  });

  it('6. an issue a person opened is never adopted as a tracking issue', async () => {
    const org = 'sec-6';
    await setupOrg(org, [{ name: 'billing', repo: `${org}/billing`, private: true, tier: 'prod' }], [{ name: 'r6', people: { [MALLORY]: 'write' } }]);
    const d = world.sandbox.driver;
    const [billing] = await mergeChangeSet(d, org, [{ repo: `${org}/billing`, branch: 'm', title: SECRET_TITLE, files: { 'src/app.txt': 'billing v2\n' } }]);
    const template = await templateState(org, 'billing', billing.number);

    // mallory (write on r6 only) opens a look-alike tracking issue with a running, allowed state.
    const forged = forge(template, { id: 'rb-forgedissue0001', keep: () => true });
    const body = [`## Rollback \`${forged.id}\``, '', `Requested by @${ONCALL} on ${forged.origin.url}`, '', '**Status:** running', '', renderHidden('state', forged)].join('\n');
    await d.createIssue(MALLORY, org, 'r6', { title: `Rollback ${forged.id}: billing`, labels: ['unwind:rollback'], body });
    await reconcileNow();

    expectUntouched(org, 'billing', 'billing v2');
  });

  it('7. a denied request does not repeat the mentions of its reason', async () => {
    const org = 'sec-7';
    await setupOrg(org, [{ name: 'pay', repo: `${org}/pay` }]);
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/pay`, branch: 'b', title: 'Change', files: { 'src/app.txt': 'pay v2\n' } }]);
    await d.comment(READER, org, 'pay', change.number, `/rollback --reason "ping @${org}/sre and @bob now"`);
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'pay');
    expect(tracking.state.status).toBe('denied');

    const mention = new RegExp(`@(${org}/sre|bob)\\b`);
    const texts = [...repliesOn(org, 'pay', change.number), ...repliesOn(org, 'pay', tracking.number), d.getIssue(org, 'pay', tracking.number).body ?? ''];
    expect(texts.filter((t) => mention.test(t))).toEqual([]);
    expectUntouched(org, 'pay', 'pay v2');
  });

  it('8. a contract extending a private file does not reveal that file', async () => {
    // The reply goes on a public PR whether or not the requester may read the vault.
    for (const [org, aliceOnVault] of [['sec-8', {}], ['sec-8b', { [ONCALL]: 'read' as const }]] as const) {
      await setupOrg(
        org,
        [{ name: 'app', repo: `${org}/app`, contract: '_extends: vault:deploy/secrets.yml\nservice: app\n' }],
        [{ name: 'vault', private: true, files: { 'deploy/secrets.yml': 'db_password: hunter2\n' }, people: aliceOnVault }],
      );
      const d = world.sandbox.driver;
      const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/app`, branch: 'b', title: 'App change', files: { 'src/app.txt': 'app v2\n' } }]);
      await d.comment(ONCALL, org, 'app', change.number, '/rollback');
      await world.settle();

      const replies = repliesOn(org, 'app', change.number);
      expect(replies.filter((b) => b.includes('db_password') || b.includes('hunter2'))).toEqual([]);
      expectReplyWith(replies, 'vault', 'not shown');
      expectUntouched(org, 'app', 'app v2');
    }
  });

  it('still rolls back what a writer may roll back', async () => {
    const org = 'sec-ok';
    await setupOrg(org, [{ name: 'web', repo: `${org}/web` }]);
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, org, [{ repo: `${org}/web`, branch: 'b', title: 'Web change', files: { 'src/app.txt': 'web v2\n' } }]);
    await d.comment(ONCALL, org, 'web', change.number, '/rollback --reason "web broke"');
    await world.settle();

    const [tracking] = trackingIssues(world, org, 'web');
    expect(tracking.state.status).toBe('completed');
    expect(fileAt(world, org, 'web', 'main', 'src/app.txt')).toBe('web v1');
    expect(d.listPulls(org, 'web').filter((p) => isRevertBranch(p.headRef) && p.merged)).toHaveLength(1);
    expectReplyWith(repliesOn(org, 'web', change.number), tracking.state.id);
    // Reconciling again changes nothing: the rollback Unwind wrote is still trusted and done.
    await reconcileNow();
    expect(trackingIssues(world, org, 'web')[0].state.status).toBe('completed');
  });
});
