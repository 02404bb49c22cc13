import { describe, expect, it } from 'vitest';
import type { ExecutionDeps } from '../../src/execution/deps.ts';
import { runRollback } from '../../src/execution/run-rollback.ts';
import type { RollbackState, StepState } from '../../src/execution/state.ts';
import { parseTrackingState, renderTrackingBody } from '../../src/execution/tracking-issue.ts';
import { GitHubError } from '../../src/github/errors.ts';
import { parseLedgerComment } from '../../src/ledger/entry.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { Waker } from '../../src/shared/waker.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

const REPO = 'acme/api';
const ref = { owner: 'acme', repo: 'api' };

/** One merged PR in acme/api, a tracking issue holding a one-step plan, and deps whose revert restores the old file on the branch. */
function world(opts: { waitFor?: string[]; crashAt?: { to: string; times: number }; now?: () => Date } = {}) {
  const gh = new FakeGitHub();
  gh.addRepo(REPO, { files: { 'src/a.txt': 'v1\n', 'README.md': 'x\n' } });
  const pr = gh.mergedPull(REPO, { title: 'Add feature', files: { 'src/a.txt': 'v2\n' }, author: 'dev', number: 7 });
  const step: StepState = {
    key: '0.0', wave: 0, index: 0, repo: REPO, service: 'api', kind: 'revert',
    targets: [{ kind: 'pull', number: 7, title: 'Add feature', url: 'https://fake.test/acme/api/pull/7', sha: pr.mergeCommitSha!, author: 'dev', mergedAt: pr.mergedAt, files: ['src/a.txt'] }],
    mergeMethod: 'merge', waitForChecks: opts.waitFor ?? [], checksTimeoutMs: 1_800_000, checksSince: null, owners: ['alice'], labels: [], compensations: [], state: 'planned', branch: 'unwind/rb-test00001/1',
    pr: null, headSha: null, mergeSha: null, detail: null, drift: [], startedAt: null, prOpenedAt: null, mergedAt: null, verifiedAt: null, bytesFetched: null,
  };
  const state: RollbackState = {
    v: 1, id: 'rb-test00001', status: 'running', org: 'acme', configRepo: 'acme/.github', contracts: {}, summary: 'acme/api#7',
    origin: { repo: REPO, number: 7, url: 'https://fake.test/acme/api/pull/7', commentUrl: null }, tracking: { repo: REPO, number: 0, url: '' },
    requestedBy: 'alice', trigger: 'comment', reason: null, createdAt: '2025-01-01T00:00:00Z',
    decision: { allow: true, pending: false, reasons: [], warnings: [], approvalsRequired: 0, approverTeams: [], approverUsers: [], autoMerge: true, engine: 'rego', policyVersion: 'sha256:abc' },
    approvals: [], seq: 0, wave: 0, waveCount: 1, pendingWaveEntries: [], steps: [step], warnings: [], planMarkdown: 'plan',
    timings: { requestedAt: '2025-01-01T00:00:00Z', plannedAt: '2025-01-01T00:00:01Z', approvedAt: null, firstPrAt: null, waves: [], finishedAt: null, resumes: 0, reconciliationMs: 0 },
  };
  let crashes = 0;
  let reverts = 0;
  const deps: ExecutionDeps = {
    port: gh,
    trust: { keyring: testKeyring(), botLogin: 'unwind[bot]' },
    now: opts.now ?? (() => new Date('2025-01-01T00:01:00Z')),
    log: silentLogger,
    concurrency: 2,
    pollMs: 1,
    revert: async (req) => {
      reverts++;
      const base = (await gh.getBranchSha(ref, req.baseBranch))!;
      const head = gh.commit(REPO, { branch: req.branch, parents: [base], files: { 'src/a.txt': 'v1\n' }, message: req.reverts[0].message });
      return { kind: 'pushed', headSha: head, baseSha: base, bytesFetched: 100 };
    },
    beforeEffect: (point) => {
      const to = point.replace(/^step:/, '');
      if (opts.crashAt && to === opts.crashAt.to && crashes < opts.crashAt.times) {
        crashes++;
        throw new Error(`injected crash before ${to}`);
      }
    },
  };
  return {
    gh, deps, state, get reverts() { return reverts; },
    async open() {
      const issue = await gh.createIssue(ref, { title: `Rollback ${state.id}: x`, body: '', labels: ['unwind:rollback'] });
      state.tracking = { repo: REPO, number: issue.number, url: issue.htmlUrl };
      await gh.updateIssue(ref, issue.number, { body: renderTrackingBody(state, testKeyring()) });
      return { ...ref, number: issue.number };
    },
    async run(tracking: { owner: string; repo: string; number: number }) {
      return runRollback({ deps, tracking, waker: new Waker(), maxIdlePolls: 50 });
    },
    async ledger(number: number) {
      return (await gh.listComments(ref, number)).map((c) => parseLedgerComment(c.body)).filter((e) => e !== null);
    },
  };
}

describe('runRollback', () => {
  it('reverts, opens a PR, merges it, verifies, and closes the tracking issue', async () => {
    const w = world();
    const tracking = await w.open();
    expect(await w.run(tracking)).toBe('completed');
    const issue = await w.gh.getIssue(ref, tracking.number);
    const state = parseTrackingState(issue!.body)!;
    expect(issue!.state).toBe('closed');
    expect(state.steps[0].state).toBe('verified');
    expect(state.steps[0].drift).toEqual([]);
    expect((await w.gh.getFile(ref, 'src/a.txt'))?.text).toBe('v1\n');
    const entries = await w.ledger(tracking.number);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.map((e) => e.action)).toContain('completed');
  });

  it('starts from the state its start just opened the tracking issue with: no read of the issue or its comments, the request first, the same end', async () => {
    const w = world();
    const tracking = await w.open();
    w.gh.calls.length = 0;
    const status = await runRollback({ deps: w.deps, tracking, waker: new Waker(), maxIdlePolls: 50, opened: w.state });
    expect(status).toBe('completed');
    const trackingReads = w.gh.calls.filter((c) => (c.method === 'getIssue' || c.method === 'listComments') && (c.args[1] as number) === tracking.number);
    expect(trackingReads).toEqual([]);
    // The caller's state is not the run's: the start goes on using its own.
    expect(w.state.seq).toBe(0);
    const entries = await w.ledger(tracking.number);
    expect(entries[0]?.action).toBe('requested');
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const saved = parseTrackingState((await w.gh.getIssue(ref, tracking.number))!.body)!;
    expect(saved.status).toBe('completed');
    expect(saved.seq).toBe(entries.length);
  });

  it('stops at red checks and escalates to the owners', async () => {
    const w = world({ waitFor: ['ci'] });
    const tracking = await w.open();
    const original = w.gh.listChecks.bind(w.gh);
    w.gh.listChecks = async (r, gitRef) => [...(await original(r, gitRef)), { name: 'ci', state: 'failure', source: 'check_run', url: null }];
    expect(await w.run(tracking)).toBe('stopped');
    const state = parseTrackingState((await w.gh.getIssue(ref, tracking.number))!.body)!;
    expect(state.steps[0].state).toBe('checks_failed');
    const escalation = (await w.ledger(tracking.number)).find((e) => e.action === 'escalated');
    expect(escalation).toBeDefined();
    const comments = await w.gh.listComments(ref, tracking.number);
    expect(comments.some((c) => c.body.includes('@alice'))).toBe(true);
  });

  it('rides out transient GitHub failures (5xx, rate limits) and still completes once', async () => {
    const w = world();
    const tracking = await w.open();
    let failures = 0;
    const createPull = w.gh.createPull.bind(w.gh);
    w.gh.createPull = async (r, input) => {
      if (failures++ < 2) throw new GitHubError(failures === 1 ? 502 : 403, 'POST', '/repos/{owner}/{repo}/pulls', failures === 1 ? 'Server Error' : 'You have exceeded a secondary rate limit.');
      return createPull(r, input);
    };
    expect(await w.run(tracking)).toBe('completed');
    expect(w.gh.calls.filter((c) => c.method === 'createPull')).toHaveLength(1);
  });

  it('gives up on a non-transient error, leaving the rollback for the reconciler', async () => {
    const w = world();
    const tracking = await w.open();
    w.gh.createPull = async () => {
      throw new GitHubError(422, 'POST', '/repos/{owner}/{repo}/pulls', 'Validation Failed');
    };
    await expect(w.run(tracking)).rejects.toThrow(/422/);
    const state = parseTrackingState((await w.gh.getIssue(ref, tracking.number))!.body)!;
    expect(state.status).toBe('running');
  });

  for (const to of ['branch_pushed', 'pr_open', 'mergeable', 'merged', 'verified'] as const) {
    it(`resumes after a crash before "${to}" without a duplicate branch, PR, merge or ledger entry`, async () => {
      const w = world({ crashAt: { to, times: 1 } });
      const tracking = await w.open();
      await expect(w.run(tracking)).rejects.toThrow(/injected crash/);
      expect(await w.run(tracking)).toBe('completed');
      const calls = w.gh.calls.map((c) => c.method);
      expect(calls.filter((m) => m === 'createPull')).toHaveLength(1);
      expect(calls.filter((m) => m === 'mergePull')).toHaveLength(1);
      expect(w.reverts).toBe(1);
      const seqs = (await w.ledger(tracking.number)).map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    });
  }
});

describe('compensations in the saga', () => {
  /** Turns the world's step into a compensate-only step with one compensation and a hand-driven clock. */
  function compensating(opts: { timeoutMs?: number; onFailure?: 'abort' | 'continue' | 'escalate' } = {}) {
    let clock = Date.parse('2025-01-01T00:00:59.900Z');
    const w = world({ now: () => new Date(clock) });
    const step = w.state.steps[0];
    step.kind = 'compensate';
    step.compensations = [{
      id: 'flag-off', workflow: '.github/workflows/flag-off.yml', ref: '', inputs: {}, when: 'before_revert', idempotencyKey: 'k', onFailure: opts.onFailure ?? 'escalate',
      retries: 0, state: 'pending', runId: null, dispatchedAt: null, attempt: 0, backoffMs: 1000, maxBackoffMs: 1000, timeoutMs: opts.timeoutMs ?? 60_000, notBefore: null, pastRuns: [],
    }];
    const runs = w.gh.repos.get('acme/api')!.runs;
    return {
      w, runs,
      advance(ms: number) { clock += ms; },
      /** The dispatch creates a run stamped (whole seconds) when GitHub received it; the answer then takes `latencyMs`. */
      onDispatch(conclude: 'success' | 'failure' | null, latencyMs: number, githubBehindMs = 0) {
        w.gh.dispatchWorkflow = async () => {
          const createdAt = new Date(clock - githubBehindMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
          runs.push({ id: 900 + runs.length, name: '.github/workflows/flag-off.yml', status: conclude ? 'completed' : 'in_progress', conclusion: conclude, headSha: 'x', htmlUrl: 'https://fake.test/run', createdAt });
          clock += latencyMs;
        };
      },
    };
  }

  it('adopts its own dispatch when the clock crosses a second before the dispatch is recorded', async () => {
    const c = compensating();
    c.onDispatch('success', 1500);
    const tracking = await c.w.open();
    expect(await c.w.run(tracking)).toBe('completed');
    expect(c.runs).toHaveLength(1);
    const outcomes = (await c.w.ledger(tracking.number)).filter((e) => e.action === 'compensation').map((e) => e.outcome);
    expect(outcomes).toEqual(['dispatched', 'succeeded']);
  });

  it('finds its run when GitHub\'s clock is half a minute behind Unwind\'s, and never takes an older run of the workflow', async () => {
    const c = compensating();
    // Someone ran the same workflow by hand ten seconds before the rollback (GitHub's clock).
    c.runs.push({ id: 500, name: '.github/workflows/flag-off.yml', status: 'completed', conclusion: 'failure', headSha: 'x', htmlUrl: 'https://fake.test/run/500', createdAt: '2025-01-01T00:00:20Z' });
    c.onDispatch('success', 10, 30_000);
    const tracking = await c.w.open();
    expect(await c.w.run(tracking)).toBe('completed');
    const state = parseTrackingState((await c.w.gh.getIssue(ref, tracking.number))!.body)!;
    expect(state.steps[0].compensations[0]).toMatchObject({ state: 'succeeded', runId: 901, pastRuns: [500] });
    expect(c.runs).toHaveLength(2);
  });

  it('counts an attempt that outlives its timeout as failed, and escalates', async () => {
    const c = compensating({ timeoutMs: 5_000 });
    c.onDispatch(null, 10);
    const tracking = await c.w.open();
    const listRuns = c.w.gh.listWorkflowRuns.bind(c.w.gh);
    c.w.gh.listWorkflowRuns = async (r, q) => {
      c.advance(2_000); // every poll, two seconds pass
      return listRuns(r, q);
    };
    expect(await c.w.run(tracking)).toBe('stopped');
    const state = parseTrackingState((await c.w.gh.getIssue(ref, tracking.number))!.body)!;
    expect(state.steps[0].state).toBe('compensation_failed');
    expect(state.steps[0].compensations[0]).toMatchObject({ state: 'failed', runId: 900, pastRuns: [900] });
    const comments = await c.w.gh.listComments(ref, tracking.number);
    expect(comments.some((x) => x.body.includes('did not finish within 5.0 s (cancelled)'))).toBe(true);
    expect(c.runs).toHaveLength(1);
    expect(c.runs[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' }); // it cannot finish late
  });
});
