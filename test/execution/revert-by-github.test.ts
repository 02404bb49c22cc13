/** Which steps GitHub's revert may do, the lookup that keeps it idempotent, and the fallbacks (with FakeGitHub). */
import { describe, expect, it } from 'vitest';
import { isUnwindRevertPull, plannedPull, pullsOnRevertBranch, revertByGithub, revertViaFromEnv } from '../../src/execution/revert-by-github.ts';
import type { RunContext } from '../../src/execution/run-context.ts';
import type { RollbackState, StepState } from '../../src/execution/state.ts';
import { FakeGitHub } from '../support/fake-github.ts';

const ref = { owner: 'acme', repo: 'api' };

function sampleState(): RollbackState {
  return {
    v: 1, id: 'rb-gqlrev0001', status: 'running', org: 'acme', configRepo: 'acme/.github', contracts: {}, summary: 'acme/api#1',
    origin: { repo: 'acme/api', number: 1, url: 'https://fake.test/acme/api/pull/1', commentUrl: null }, tracking: { repo: 'acme/api', number: 9, url: 'https://fake.test/acme/api/issues/9' },
    requestedBy: 'alice', trigger: 'comment', reason: 'errors', createdAt: '2025-01-01T00:00:00Z',
    decision: { allow: true, pending: false, reasons: [], warnings: [], approvalsRequired: 0, approverTeams: [], approverUsers: [], autoMerge: true, engine: 'rego', policyVersion: 'sha256:abc' },
    approvals: [], seq: 0, wave: 0, waveCount: 1, pendingWaveEntries: [], steps: [], warnings: [], planMarkdown: 'plan',
    timings: { requestedAt: '2025-01-01T00:00:00Z', plannedAt: '2025-01-01T00:00:01Z', approvedAt: null, firstPrAt: null, waves: [], finishedAt: null, resumes: 0, reconciliationMs: 0 },
  } as RollbackState;
}

function setup(opts: { enable?: boolean; refuse?: boolean } = {}) {
  const gh = new FakeGitHub();
  gh.addRepo('acme/api', { files: { 'src/app.txt': 'v1\n' } });
  const pull = gh.mergedPull('acme/api', { title: 'Use column', files: { 'src/app.txt': 'v2\n' } });
  if (opts.enable !== false) gh.enableRevertPullRequest(opts.refuse ? { refuse: () => ({ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }) } : {});
  const state = sampleState();
  const step = {
    key: 'w0-acme/api', wave: 0, index: 0, repo: 'acme/api', service: 'api', kind: 'revert',
    targets: [{ kind: 'pull', number: pull.number, title: pull.title, url: pull.htmlUrl, sha: pull.mergeCommitSha!, author: 'dev', mergedAt: pull.mergedAt, files: ['src/app.txt'] }],
    mergeMethod: 'merge', waitForChecks: [], owners: [], labels: [], checksTimeoutMs: 1_800_000, checksSince: null, compensations: [],
    state: 'planned', branch: `unwind/${state.id}/1`, pr: null, headSha: null, mergeSha: null, detail: null, drift: [],
    startedAt: null, prOpenedAt: null, mergedAt: null, verifiedAt: null, bytesFetched: null,
  } as StepState;
  const ctx = { deps: { port: gh }, state } as unknown as RunContext;
  return { gh, pull, step, ctx, info: { ...ref, defaultBranch: 'main' } as Parameters<typeof revertByGithub>[2] };
}

describe('revertByGithub', () => {
  it('asks GitHub once with Unwind\'s title and body, and finds that PR again instead of asking twice', async () => {
    const { gh, pull, step, ctx, info } = setup();
    const first = await revertByGithub(ctx, step, info);
    expect(first.kind).toBe('opened');
    if (first.kind !== 'opened') return;
    expect(first.resumed).toBe(false);
    expect(first.pull.headRef).toBe(`revert-${pull.number}-pr-${pull.number}`);
    expect(first.pull.title).toBe('Revert "Use column"');
    expect(first.pull.body).toContain('Rollback-Id: rb-gqlrev0001');
    // A crash before the state was saved: the next run finds the PR by its branch and marker.
    const again = await revertByGithub(ctx, step, info);
    expect(again).toMatchObject({ kind: 'opened', resumed: true, pull: { number: first.pull.number } });
    expect(gh.calls.filter((c) => c.method === 'revertPullRequest')).toHaveLength(1);
  });

  it("reverts from the plan's names of the PR (head branch, node id) without reading it, and still finds its own earlier revert", async () => {
    const { gh, pull, step, ctx, info } = setup();
    step.targets[0] = { ...step.targets[0]!, headRef: pull.headRef, nodeId: `fake:acme/api#${pull.number}` };
    const planned = plannedPull(step);
    expect(planned).toMatchObject({ number: pull.number, headRef: pull.headRef, merged: true, mergeCommitSha: pull.mergeCommitSha });
    gh.calls.length = 0;
    const first = await revertByGithub(ctx, step, info, planned);
    expect(first).toMatchObject({ kind: 'opened', resumed: false });
    expect(gh.calls.filter((c) => c.method === 'getPull')).toHaveLength(0);
    // The PRs on the revert branch, read by the caller with its other reads: the one made above is found.
    const onBranch = await pullsOnRevertBranch(gh, ref, planned!);
    const again = await revertByGithub(ctx, step, info, planned, onBranch);
    expect(again).toMatchObject({ kind: 'opened', resumed: true });
    expect(gh.calls.filter((c) => c.method === 'revertPullRequest')).toHaveLength(1);
    // A plan without those names (an older state) reads the PR as before.
    step.targets[0] = { ...step.targets[0]!, headRef: undefined, nodeId: undefined };
    expect(plannedPull(step)).toBeNull();
  });

  it('does not take a revert PR of another rollback (or a person) for its own: GitHub picks a suffixed branch', async () => {
    const { gh, step, ctx, info } = setup();
    const other = await revertByGithub({ ...ctx, state: { ...ctx.state, id: 'rb-other00001' } } as unknown as RunContext, step, info);
    expect(other.kind).toBe('opened');
    const mine = await revertByGithub(ctx, step, info);
    expect(mine).toMatchObject({ kind: 'opened', resumed: false });
    if (mine.kind !== 'opened') return;
    expect(mine.pull.headRef).toMatch(/-1$/);
    // …and finds that suffixed one again among the open PRs.
    expect(await revertByGithub(ctx, step, info)).toMatchObject({ kind: 'opened', resumed: true, pull: { number: mine.pull.number } });
    expect(gh.calls.filter((c) => c.method === 'revertPullRequest')).toHaveLength(2);
  });

  it('falls back to git, saying why: no GitHub revert, another commit than the merge, or a refusal', async () => {
    const off = setup({ enable: false });
    expect(await revertByGithub(off.ctx, off.step, off.info)).toEqual({ kind: 'fallback', reason: 'GitHub revert not available for this step' });
    const other = setup();
    const step = { ...other.step, targets: [{ ...other.step.targets[0], sha: 'f'.repeat(40) }] };
    expect(await revertByGithub(other.ctx, step, other.info)).toMatchObject({ kind: 'fallback', reason: expect.stringContaining('not the merge of') });
    const refused = setup({ refuse: true });
    expect(await revertByGithub(refused.ctx, refused.step, refused.info)).toEqual({ kind: 'fallback', reason: 'GitHub refused the revert (FORBIDDEN: Resource not accessible by integration)' });
    const twoTargets = setup();
    const several = { ...twoTargets.step, targets: [twoTargets.step.targets[0], twoTargets.step.targets[0]] };
    expect((await revertByGithub(twoTargets.ctx, several, twoTargets.info)).kind).toBe('fallback');
  });
});

describe('isUnwindRevertPull and UNWIND_REVERT_VIA', () => {
  it('recognises both kinds of Unwind revert PRs, and nothing else', () => {
    const bot = { login: 'unwind[bot]', type: 'Bot' as const };
    expect(isUnwindRevertPull({ headRef: 'unwind/rb-x/1', body: '', user: bot })).toBe(true);
    expect(isUnwindRevertPull({ headRef: 'revert-12-feat', body: 'x\n\nRollback-Id: rb-abc', user: bot })).toBe(true);
    expect(isUnwindRevertPull({ headRef: 'revert-12-feat', body: 'Reverts acme/api#12', user: bot })).toBe(false);
    expect(isUnwindRevertPull({ headRef: 'revert-12-feat', body: 'Rollback-Id: rb-abc', user: { login: 'mallory', type: 'User' } })).toBe(false);
    expect(isUnwindRevertPull({ headRef: 'feature', body: 'Rollback-Id: rb-abc', user: bot })).toBe(false);
  });

  it('reads github (the default) or git, and names the variable on anything else', () => {
    expect(revertViaFromEnv({})).toBe('github');
    expect(revertViaFromEnv({ UNWIND_REVERT_VIA: '' })).toBe('github');
    expect(revertViaFromEnv({ UNWIND_REVERT_VIA: 'git' })).toBe('git');
    expect(revertViaFromEnv({ UNWIND_REVERT_VIA: 'github' })).toBe('github');
    expect(revertViaFromEnv({ UNWIND_REVERT_VIA: ' git ' })).toBe('git');
    expect(() => revertViaFromEnv({ UNWIND_REVERT_VIA: 'GraphQL' })).toThrow('UNWIND_REVERT_VIA must be git or github, got "GraphQL"');
  });
});
