/** Operating Unwind: Prometheus metrics at /metrics and the read-only rollbacks page at /rollbacks. */
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

/** The value of one sample line of the exposition text, or null. */
function sample(text: string, line: string): number | null {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : null;
}

describe('operations', () => {
  it('counts webhooks, commands, decisions and finished rollbacks, and lists the rollback with its timeline', async () => {
    const org = 'ops';
    await seed(world, { org, services: [{ name: 'web', repo: `${org}/web`, dependsOn: ['api'] }, { name: 'api', repo: `${org}/api` }] });
    const d = world.sandbox.driver;
    const [api] = await mergeChangeSet(d, org, [
      { repo: `${org}/api`, branch: 'a', title: 'API <script>alert(1)</script>', files: { 'src/app.txt': 'api v2\n' } },
      { repo: `${org}/web`, branch: 'w', title: 'Web change', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [0] },
    ]);
    await d.comment(ONCALL, org, 'api', api.number, '/rollback --reason "<b>bold</b> claims"');
    await d.comment(ONCALL, org, 'api', api.number, '/rollback frobnicate');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'api');
    expect(tracking.state.status).toBe('completed');

    const metrics = await fetch(`${world.server.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(sample(text, 'unwind_webhooks_received_total{event="issue_comment"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'unwind_commands_total{command="rollback"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unwind_commands_total{command="reply"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unwind_policy_decisions_total{action="rollback",outcome="allowed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unwind_rollbacks_started_total{trigger="comment",status="running"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unwind_rollbacks_finished_total{status="completed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unwind_rollback_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'unwind_active_rollback_runs')).toBe(0);
    expect(text).toContain('unwind_process_resident_memory_bytes');

    const page = await fetch(`${world.server.url}/rollbacks`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain(tracking.state.id);
    expect(html).toContain(`href="${tracking.state.tracking.url}"`);
    expect(html).toContain(`${org}/web`);
    expect(html).toMatch(/wave 2 of 2/);
    // Text from GitHub is escaped, never markup.
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');

    expect((await fetch(`${world.server.url}/nowhere`)).status).toBe(404);
  });
});
