/**
 * Nothing acknowledged is ever lost: a real `unwind serve` process is killed with SIGKILL at chosen
 * moments (the sandbox calls the test just before it handles a request, so the moment is exact),
 * then started again on the same port, as a supervisor would. Each rollback must finish with a
 * complete ledger, one revert PR per repository, one origin reply, and no person's hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, SRE_LEAD, seedOrg, type OrgSpec } from '../../src/demo/seed-org.ts';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';
import { firstTracking, isRevertBranch, ledgerEntries } from './support/sandbox-reads.ts';
import { freePort, startServe, type ServeProcess } from './support/serve-process.ts';

let sandbox: TestSandbox;
let workDir: string;
beforeAll(async () => {
  sandbox = await startTestSandbox();
  workDir = mkdtempSync(join(tmpdir(), 'unwind-kill-'));
});
afterAll(async () => {
  sandbox?.onRequest(null);
  await sandbox?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const FAST = { UNWIND_POLL_MS: '200', UNWIND_RECONCILE_MS: '1000', UNWIND_PACING: 'off' };

/** Waits (bounded) for a state of the sandbox that the external process brings about. */
async function until(done: () => boolean, what: string, proc: () => ServeProcess | null, meanwhile?: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 1_200 && !done(); i++) {
    await meanwhile?.();
    await sandbox.idle();
    if (!done()) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!done()) throw new Error(`${what} was never reached; unwind serve said:\n${proc()?.output() ?? '(not running)'}`);
}

function tracking(org: string, repo: string) {
  return firstTracking(sandbox, org, repo);
}

function ledger(org: string, repo: string, n: number) {
  return ledgerEntries(sandbox, org, repo, n);
}

/**
 * One rollback of a two-repository change set, with Unwind killed the first time `killWhen` matches a
 * request; then restarted. Returns when the rollback completed, after the checks every test makes.
 */
async function killAndRecover(p: {
  org: string;
  /** The request that marks the moment. */
  killWhen: (req: { method: string; path: string }) => boolean;
  /** `at`: killed as that request arrives (its effect never happens); `after`: at Unwind's next request (the effect happened, the answer was lost). */
  moment: 'at' | 'after';
  prod?: boolean;
  ci?: OrgSpec['ci'];
  /** CI that passes a revert PR only when this says so (checks then pend as long as the test wants). */
  passChecks?: (repo: string, killed: boolean) => boolean;
  approve?: boolean;
}) {
  const { org } = p;
  await seedOrg(sandbox.driver, {
    org,
    services: [
      { name: 'front', repo: `${org}/front`, dependsOn: ['back'], waitFor: p.ci || p.passChecks ? ['ci'] : [], tier: p.prod ? 'prod' : undefined },
      { name: 'back', repo: `${org}/back`, waitFor: p.ci || p.passChecks ? ['ci'] : [] },
    ],
    ci: p.ci,
    // With no business days, a prod-tier rollback always waits for an sre approval.
    configFiles: p.prod ? { 'unwind/policies/data.json': JSON.stringify({ unwind_config: { business_hours: { days: [] } } }) } : {},
  });
  const d = sandbox.driver;
  const merged = await mergeChangeSet(d, org, [
    { repo: `${org}/back`, branch: 'b', title: 'Back change', files: { 'src/app.txt': 'back v2\n' } },
    { repo: `${org}/front`, branch: 'f', title: 'Front change', files: { 'src/app.txt': 'front v2\n' }, dependsOn: [0] },
  ]);
  const port = await freePort();
  let proc: ServeProcess | null = await startServe({ sandbox, port, workDir, env: FAST });
  let killed = false;
  let armed = false;
  let restartLog = '';
  sandbox.onRequest(async (req) => {
    if (killed || !proc) return;
    if (!armed && p.killWhen(req)) {
      armed = true;
      if (p.moment === 'after') return;
    } else if (!armed || req.actor === null || !req.actor.endsWith('[bot]')) return;
    killed = true;
    const dying = proc;
    proc = null;
    await dying.kill9();
  });
  try {
    await d.comment(ONCALL, org, 'back', merged[0].number, '/rollback');
    if (p.approve) {
      await until(() => tracking(org, 'back')?.state?.status === 'awaiting_approval' || killed, 'the rollback waiting for approval', () => proc);
      if (!killed) await d.comment(SRE_LEAD, org, 'back', tracking(org, 'back')!.number, '/rollback approve');
    }
    const passed = new Set<string>();
    const ci = async (): Promise<void> => {
      for (const repo of ['front', 'back']) {
        const pr = d.listPulls(org, repo).find((x) => isRevertBranch(x.headRef));
        if (!pr || passed.has(pr.headSha) || !p.passChecks?.(repo, killed)) continue;
        passed.add(pr.headSha);
        await d.reportCheck(org, repo, pr.headSha, { name: 'ci', result: 'success' });
      }
    };
    await until(() => killed, 'the chosen moment', () => proc, ci);
    await sandbox.idle();
    // A supervisor starts it again, same configuration, same port.
    proc = await startServe({ sandbox, port, workDir, env: { ...FAST, LOG_LEVEL: 'info' } });
    await until(() => tracking(org, 'back')?.state?.status === 'completed', 'the completed rollback', () => proc, ci);
    restartLog = proc.output();
  } finally {
    sandbox.onRequest(null);
    await proc?.stop();
  }
  // Checks every test makes: one of everything, a ledger that ends with the completion.
  const t = tracking(org, 'back')!;
  const entries = ledger(org, 'back', t.number);
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  expect(entries[0].action).toBe('requested');
  expect(entries.at(-1)?.action).toBe('completed');
  for (const repo of ['front', 'back']) {
    expect(d.listPulls(org, repo).filter((x) => isRevertBranch(x.headRef))).toHaveLength(1);
    expect(d.listPulls(org, repo).filter((x) => isRevertBranch(x.headRef) && x.merged)).toHaveLength(1);
  }
  const originReplies = d.listComments(org, 'back', merged[0].number).filter((c) => c.viaApp && c.body.includes(`tracking issue`));
  expect(originReplies).toHaveLength(1);
  return { entries, tracking: t, restartLog };
}

// A real process started twice per test, on a 2-core machine under load: 60 s is too tight (these took 28-90 s).
describe('kill -9 of unwind serve at chosen moments', { timeout: 300_000 }, () => {
  it('after the 👀 reaction, before the tracking issue: the failed delivery is redelivered and the rollback runs', async () => {
    await killAndRecover({ org: 'kill-eyes', moment: 'after', killWhen: (r) => r.method === 'POST' && /\/reactions$/.test(r.path) });
  });

  it('right after the tracking issue is created: the origin still gets its reply, the rollback runs, the restart says so', async () => {
    const { restartLog, tracking: t } = await killAndRecover({ org: 'kill-issue', moment: 'after', killWhen: (r) => r.method === 'POST' && /^\/repos\/kill-issue\/back\/issues$/.test(r.path) });
    // At info level, the restarted process names the rollback it resumed and where it stood.
    // (The reconciler or the redelivered command, whichever comes first, depending on whether the
    // registry knew the tracking issue yet.)
    const resumed = restartLog.split('\n').filter((l) => /resuming a (running rollback|rollback: its command came again)/.test(l));
    expect(resumed.length).toBeGreaterThanOrEqual(1);
    expect(resumed[0]).toContain(t.state!.id);
    expect(resumed[0]).toMatch(/"status":"running"/);
  });

  it.each(['at', 'after'] as const)('while an approval is handled (killed %s its ledger entry): the rollback does not wait forever', async (moment) => {
    const org = `kill-approve-${moment}`;
    let comments = 0;
    const { entries } = await killAndRecover({
      org,
      moment,
      prod: true,
      approve: true,
      // The request entry is the first comment on the tracking issue; the approval's entry the next one.
      killWhen: (r) => r.method === 'POST' && r.path.startsWith(`/repos/${org}/back/issues/`) && r.path.endsWith('/comments') && tracking(org, 'back')?.number === Number(r.path.split('/')[5]) && ++comments === 2,
    });
    expect(entries.filter((e) => e.action === 'approval').map((e) => [e.actor, e.outcome])).toEqual([[SRE_LEAD, 'accepted']]);
  });

  it('while GitHub answers the POST of a deferred wave entry: the ledger still ends with the completion', async () => {
    const org = 'kill-wave';
    let comments = 0;
    const { entries } = await killAndRecover({
      org,
      moment: 'after',
      // The second wave's checks pend until Unwind was killed: the run waits, so it writes the first wave's entry.
      passChecks: (repo, killed) => repo === 'front' || killed,
      killWhen: (r) => r.method === 'POST' && /^\/repos\/kill-wave\/back\/issues\/\d+\/comments$/.test(r.path) && tracking(org, 'back')?.number === Number(r.path.split('/')[5]) && ++comments === 2,
    });
    expect(entries.map((e) => e.action)).toEqual(['requested', 'wave_completed', 'completed']);
  }, 300_000);
});
