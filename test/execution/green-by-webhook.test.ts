/**
 * When a webhook may stand in for a read of a revert PR's checks (CheckSightings + greenByWebhook), and the
 * read that a webhook overtakes (readOrGreen). The run context is a plain object with just what these read.
 */
import { describe, expect, it } from 'vitest';
import { CheckSightings, checkRunSighting, statusSighting } from '../../src/github/check-sightings.ts';
import type { CheckResult, PullInfo } from '../../src/github/port.ts';
import { greenByWebhook, readOrGreen, rememberChecksRead } from '../../src/execution/green-by-webhook.ts';
import type { RunContext } from '../../src/execution/run-context.ts';
import type { StepState } from '../../src/execution/state.ts';

const repo = { owner: 'acme', repo: 'api' };
const HEAD = 'a'.repeat(40);

function world(opts: { autoMerge?: boolean } = {}) {
  const checks = new CheckSightings();
  const ctx = { deps: { checks }, checksRead: new Map(), state: { decision: { autoMerge: opts.autoMerge ?? true } } } as unknown as RunContext;
  const step = { key: 'acme/api', repo: 'acme/api', headSha: HEAD, state: 'checks_pending' } as StepState;
  const pr = { ...repo, number: 7, headSha: HEAD, title: 'Revert "x"' } as PullInfo;
  return { checks, ctx, step, pr };
}

const run = (id: number, conclusion: string | null, status = 'completed') => checkRunSighting({ id, status, conclusion });
const pendingRun = (name: string, id: number): CheckResult => ({ name, state: 'pending', source: 'check_run', url: null, id });

describe('CheckSightings', () => {
  it('keeps the newest result per check name and source, whatever order the webhooks came in', () => {
    const { checks } = world();
    checks.record(repo, HEAD, 'ci', run(5, 'failure'));
    checks.record(repo, HEAD, 'ci', run(9, 'success'));
    checks.record(repo, HEAD, 'ci', run(7, 'failure')); // an older run's late delivery
    checks.record(repo, HEAD, 'ci', statusSighting({ id: 3, state: 'pending' }));
    expect(checks.of(repo, HEAD).map((c) => `${c.source}:${c.name}:${c.state}:${c.id}`).sort()).toEqual(['check_run:ci:success:9', 'status:ci:pending:3']);
    expect(checks.of({ owner: 'ACME', repo: 'API' }, HEAD.toUpperCase())).toHaveLength(2);
    expect(checks.of(repo, 'b'.repeat(40))).toEqual([]);
  });

  it('judges conclusions as a read does (neutral and skipped pass; cancelled and timed_out fail)', () => {
    expect(run(1, 'neutral').state).toBe('success');
    expect(run(1, 'skipped').state).toBe('success');
    expect(run(1, 'cancelled').state).toBe('failure');
    expect(run(1, 'timed_out').state).toBe('failure');
    expect(run(1, null, 'in_progress').state).toBe('pending');
    expect(statusSighting({ id: 1, state: 'error' }).state).toBe('failure');
  });

  it('forgets the oldest commits beyond its bound', () => {
    const checks = new CheckSightings(2);
    for (const sha of ['1', '2', '3']) checks.record(repo, sha.repeat(40), 'ci', run(1, 'success'));
    expect(checks.of(repo, '1'.repeat(40))).toEqual([]);
    expect(checks.of(repo, '3'.repeat(40))).toHaveLength(1);
  });
});

describe('greenByWebhook', () => {
  it('is the last read once every required check the read was waiting for has turned green', () => {
    const { checks, ctx, step, pr } = world();
    rememberChecksRead(ctx, step, { pr, required: ['ci', 'lint'], checks: [pendingRun('ci', 4)] });
    checks.record(repo, HEAD, 'ci', run(4, 'success'));
    expect(greenByWebhook(ctx, step)).toBeNull(); // lint: nothing seen yet
    checks.record(repo, HEAD, 'lint', statusSighting({ id: 11, state: 'success' }));
    expect(greenByWebhook(ctx, step)?.pr).toBe(pr);
  });

  it('leaves it to a read when a sighting is red or pending, older than what the read showed, or missing a source', () => {
    const a = world();
    rememberChecksRead(a.ctx, a.step, { pr: a.pr, required: ['ci'], checks: [pendingRun('ci', 4)] });
    a.checks.record(repo, HEAD, 'ci', run(4, 'failure'));
    expect(greenByWebhook(a.ctx, a.step)).toBeNull();

    // The read showed a re-run (id 8) pending; a green result of the first run (id 4) says nothing about it.
    const b = world();
    b.checks.record(repo, HEAD, 'ci', run(4, 'success'));
    rememberChecksRead(b.ctx, b.step, { pr: b.pr, required: ['ci'], checks: [pendingRun('ci', 8)] });
    expect(greenByWebhook(b.ctx, b.step)).toBeNull();
    b.checks.record(repo, HEAD, 'ci', run(8, 'success'));
    expect(greenByWebhook(b.ctx, b.step)).not.toBeNull();

    // The read showed a check run and a status named ci; only the check run has been reported since.
    const c = world();
    rememberChecksRead(c.ctx, c.step, { pr: c.pr, required: ['ci'], checks: [pendingRun('ci', 4), { name: 'ci', state: 'pending', source: 'status', url: null, id: 2 }] });
    c.checks.record(repo, HEAD, 'ci', run(4, 'success'));
    expect(greenByWebhook(c.ctx, c.step)).toBeNull();
    c.checks.record(repo, HEAD, 'ci', statusSighting({ id: 6, state: 'success' }));
    expect(greenByWebhook(c.ctx, c.step)).not.toBeNull();
  });

  it('needs a read of the head the step waits for, and required checks', () => {
    const { checks, ctx, step, pr } = world();
    checks.record(repo, HEAD, 'ci', run(4, 'success'));
    expect(greenByWebhook(ctx, step)).toBeNull(); // nothing read yet
    rememberChecksRead(ctx, step, { pr: { ...pr, headSha: 'c'.repeat(40) }, required: ['ci'], checks: [] });
    expect(greenByWebhook(ctx, step)).toBeNull(); // the PR's head moved since
    rememberChecksRead(ctx, step, { pr, required: [], checks: [] });
    expect(greenByWebhook(ctx, step)).toBeNull();
  });
});

describe('readOrGreen', () => {
  it('goes ahead when the green webhook comes while the read is on its way, and drops the read', async () => {
    const { checks, ctx, step, pr } = world();
    rememberChecksRead(ctx, step, { pr, required: ['ci'], checks: [pendingRun('ci', 4)] });
    let fail = (_: Error): void => undefined;
    const reading = new Promise<string>((_, reject) => (fail = reject));
    const got = readOrGreen(ctx, step, reading);
    checks.record(repo, HEAD, 'other', run(2, 'success')); // not what it waits for: keeps waiting for either
    checks.record(repo, HEAD, 'ci', run(4, 'success'));
    expect(await got).toEqual({ green: expect.objectContaining({ pr }) });
    fail(new Error('the dropped read failing later is nobody\'s error'));
  });

  it('is the read when the read answers first, or when the step does not merge by itself', async () => {
    const a = world();
    rememberChecksRead(a.ctx, a.step, { pr: a.pr, required: ['ci'], checks: [pendingRun('ci', 4)] });
    expect(await readOrGreen(a.ctx, a.step, Promise.resolve('read'))).toEqual({ read: 'read' });
    await expect(readOrGreen(a.ctx, a.step, Promise.reject(new Error('502')))).rejects.toThrow('502');

    const b = world({ autoMerge: false });
    rememberChecksRead(b.ctx, b.step, { pr: b.pr, required: ['ci'], checks: [pendingRun('ci', 4)] });
    let answer = (_: string): void => undefined;
    const got = readOrGreen(b.ctx, b.step, new Promise<string>((resolve) => (answer = resolve)));
    b.checks.record(repo, HEAD, 'ci', run(4, 'success'));
    answer('read');
    expect(await got).toEqual({ read: 'read' });
  });
});
