import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';
import { setupWorld, type World } from './support/world.ts';

describe('webhooks', () => {
  let sb: TestSandbox;
  let w: World;
  let rx: WebhookReceiver;
  beforeAll(async () => {
    sb = await startTestSandbox();
    rx = await startWebhookReceiver(sb.app.webhookSecret);
    w = await setupWorld(sb);
    sb.setWebhookUrl(rx.url);
  });
  beforeEach(async () => {
    sb.driver.setFaults({});
    rx.respond({});
    await sb.idle();
    rx.received.length = 0;
  });
  afterAll(async () => {
    await sb.close();
    await rx.close();
  });

  it('signs deliveries and sends GitHub\'s headers and installation/repository/sender/organization', async () => {
    const n = await sb.driver.createIssue('alice', 'acme', 'web', { title: 'Broken', labels: ['bug'] });
    await sb.driver.comment('alice', 'acme', 'web', n, '/rollback web');
    await sb.idle();
    const hook = await rx.waitFor((r) => r.event === 'issue_comment');
    expect(hook.signatureValid).toBe(true);
    expect(hook.action).toBe('created');
    expect(hook.headers['user-agent']).toMatch(/^GitHub-Hookshot\//);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-github-hook-installation-target-type']).toBe('integration');
    expect(hook.headers['x-github-hook-installation-target-id']).toBe(String(sb.app.id));
    expect(hook.headers['x-github-hook-id']).toMatch(/^\d+$/);
    expect(hook.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.payload.installation).toMatchObject({ id: w.inst });
    expect(hook.payload).toMatchObject({ repository: { full_name: 'acme/web' }, sender: { login: 'alice' }, organization: { login: 'acme' } });
    expect((hook.payload.comment as { body: string }).body).toBe('/rollback web');
    expect(rx.of('issues', 'opened')).toHaveLength(1);
    const log = sb.deliveries().filter((d) => d.event === 'issue_comment');
    expect(log.at(-1)).toMatchObject({ status: 200, attempts: 1 });
  });

  it('emits push, pull_request and review events and check_suite.completed when CI finishes', async () => {
    await sb.driver.setCI('acme', 'web', [
      { name: 'build', result: 'success' },
      { name: 'lint', result: 'success', delayMs: 30 },
      { name: 'legacy', via: 'status', result: 'success' },
    ]);
    const sha = await sb.driver.commit('acme', 'web', { branch: 'feat', files: { 'f.txt': 'f\n' }, message: 'feat', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'feat', title: 'Feat' });
    await sb.driver.review('bob', 'acme', 'web', n, 'APPROVE');
    await sb.idle();
    const push = rx.of('push').find((r) => r.payload.after === sha);
    expect(push?.payload).toMatchObject({ ref: 'refs/heads/feat', created: true, pusher: { name: 'alice' } });
    expect(rx.of('pull_request', 'opened')).toHaveLength(1);
    expect(rx.of('pull_request_review', 'submitted')[0].payload).toMatchObject({ review: { state: 'approved', user: { login: 'bob' } } });
    const suite = rx.of('check_suite', 'completed').find((r) => (r.payload.check_suite as { head_sha: string }).head_sha === sha);
    expect(suite?.payload.check_suite).toMatchObject({ status: 'completed', conclusion: 'success', latest_check_runs_count: 2 });
    expect(rx.of('check_run', 'completed').filter((r) => (r.payload.check_run as { head_sha: string }).head_sha === sha)).toHaveLength(2);
    expect(rx.of('status').map((r) => r.payload.state)).toEqual(['pending', 'success']);
    // a new commit on the head: synchronize + CI again
    const sha2 = await sb.driver.commit('acme', 'web', { branch: 'feat', files: { 'f.txt': 'g\n' }, message: 'feat 2', author: 'alice' });
    await sb.idle();
    const sync = rx.of('pull_request', 'synchronize')[0];
    expect(sync.payload).toMatchObject({ before: sha, after: sha2, number: n });
    const merged = await sb.driver.mergePull('bob', 'acme', 'web', n, 'merge');
    await sb.idle();
    expect(rx.of('pull_request', 'closed')[0].payload).toMatchObject({ pull_request: { merged: true, merge_commit_sha: merged } });
    expect(rx.of('push').some((r) => r.payload.ref === 'refs/heads/main' && r.payload.after === merged)).toBe(true);
    expect(rx.of('check_suite', 'completed').some((r) => (r.payload.check_suite as { head_sha: string }).head_sha === merged)).toBe(true);
    expect(rx.received.every((r) => r.signatureValid)).toBe(true);
    await sb.driver.setCI('acme', 'web', []);
  });

  it('records failures and redelivers the same body with the same delivery id', async () => {
    rx.respond({ status: 500 });
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'fails' });
    await sb.idle();
    const failed = sb.deliveries().at(-1)!;
    expect(failed).toMatchObject({ event: 'issues', status: 500 });
    rx.respond({ status: 202 });
    await sb.redeliver(failed.id);
    const copies = rx.received.filter((r) => r.id === failed.id);
    expect(copies).toHaveLength(2);
    expect(copies[1].payload).toEqual(copies[0].payload);
    expect(sb.deliveries().find((d) => d.id === failed.id)).toMatchObject({ status: 202, attempts: 2 });
  });

  it('logs "error" when the receiver is unreachable, and "dropped" without a webhook URL', async () => {
    sb.setWebhookUrl('http://127.0.0.1:1/unreachable');
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'nobody listens' });
    await sb.idle();
    expect(sb.deliveries().at(-1)).toMatchObject({ event: 'issues', status: 'error', attempts: 1 });
    sb.setWebhookUrl(null);
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'no url' });
    await sb.idle();
    expect(sb.deliveries().at(-1)).toMatchObject({ status: 'dropped', attempts: 0 });
    sb.setWebhookUrl(rx.url);
    await sb.redeliver(sb.deliveries().at(-1)!.id);
    expect(rx.of('issues', 'opened').map((r) => (r.payload.issue as { title: string }).title)).toEqual(['no url']);
  });

  it('fault: duplicate deliveries share one delivery id', async () => {
    sb.driver.setFaults({ webhooks: { duplicate: true } });
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'dup' });
    await sb.idle();
    const got = rx.of('issues', 'opened');
    expect(got).toHaveLength(2);
    expect(got[0].id).toBe(got[1].id);
  });

  it('fault: reorder swaps consecutive deliveries', async () => {
    sb.driver.setFaults({ webhooks: { reorder: true } });
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'first' });
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'second' });
    await sb.idle();
    expect(rx.of('issues', 'opened').map((r) => (r.payload.issue as { title: string }).title)).toEqual(['second', 'first']);
  });

  it('fault: dropEvery drops deliveries (logged as dropped) and delayMs delays them', async () => {
    sb.driver.setFaults({ webhooks: { dropEvery: 2, delayMs: 50 } });
    const started = Date.now();
    for (const t of ['a', 'b', 'c', 'd']) await sb.driver.createIssue('alice', 'acme', 'web', { title: t });
    await sb.idle();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(rx.of('issues', 'opened').map((r) => (r.payload.issue as { title: string }).title)).toEqual(['a', 'c']);
    expect(sb.deliveries().slice(-4).map((d) => d.status)).toEqual([200, 'dropped', 200, 'dropped']);
  });

  it('workflow_dispatch creates a run that completes with workflow_run webhooks', async () => {
    await sb.driver.setWorkflow('acme', 'web', 'deploy.yml', { result: 'success', delayMs: 20 });
    await w.app.rest.actions.createWorkflowDispatch({ owner: 'acme', repo: 'web', workflow_id: 'deploy.yml', ref: 'main', inputs: { target: 'prod' } });
    await sb.idle();
    expect(rx.of('workflow_run').map((r) => r.action)).toEqual(['requested', 'completed']);
    const runs = await w.app.rest.actions.listWorkflowRuns({ owner: 'acme', repo: 'web', workflow_id: 'deploy.yml' });
    expect(runs.data.workflow_runs[0]).toMatchObject({ status: 'completed', conclusion: 'success', event: 'workflow_dispatch', head_branch: 'main' });
    const all = await w.app.rest.actions.listWorkflowRunsForRepo({ owner: 'acme', repo: 'web', status: 'completed' });
    expect(all.data.total_count).toBe(1);
  });
});
