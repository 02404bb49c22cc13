/** Signed webhooks that lack what their event always carries, or bodies that are not JSON: a clear 2xx/4xx, never a 500, and Unwind keeps working. */
import { sign } from '@octokit/webhooks-methods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { seed, startWorld, trackingIssues, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

async function deliver(event: string, body: string, signed = true): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': `bad-${Math.random()}`, 'user-agent': 'GitHub-Hookshot/test' };
  if (signed) headers['x-hub-signature-256'] = await sign(world.sandbox.app.webhookSecret, body);
  const res = await fetch(world.server.webhookUrl, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

describe('bad webhooks', () => {
  it.each([
    ['issue_comment', { action: 'created' }],
    ['issue_comment', { action: 'created', comment: { id: 1, body: '/rollback', user: { login: 'x', type: 'User' } }, installation: { id: 1 } }],
    ['issue_comment', { action: 'created', comment: { id: 1, body: '/rollback', user: { login: 'x', type: 'User' } }, issue: { number: 1 }, installation: { id: 1 } }],
    ['check_run', { action: 'completed', installation: { id: 1 } }],
    ['workflow_run', { action: 'completed', installation: { id: 1 } }],
    ['status', { installation: { id: 1 } }],
  ])('a signed %s without its objects is answered 2xx and ignored (%#)', async (event, payload) => {
    const r = await deliver(event, JSON.stringify(payload));
    expect(r.status).toBeGreaterThanOrEqual(200);
    expect(r.status).toBeLessThan(300);
    await world.settle();
  });

  it('a body that is not JSON gets 400 saying so; an unsigned one is refused', async () => {
    const bad = await deliver('issue_comment', '{"action": "created",');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ error: 'the webhook body is not valid JSON' });
    const unsigned = await deliver('issue_comment', '{"action":"created"}', false);
    expect(unsigned.status).toBeGreaterThanOrEqual(400);
    expect(unsigned.status).toBeLessThan(500);
  });

  it('still rolls back afterwards', async () => {
    const org = 'badhooks';
    await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc` }] });
    const [change] = await mergeChangeSet(world.sandbox.driver, org, [{ repo: `${org}/svc`, branch: 'b', title: 'Change', files: { 'src/app.txt': 'svc v2\n' } }]);
    await world.sandbox.driver.comment(ONCALL, org, 'svc', change.number, '/rollback');
    await world.settle();
    expect(trackingIssues(world, org, 'svc')[0].state.status).toBe('completed');
  });
});
