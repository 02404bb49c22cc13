/**
 * The replica keeps the map it last saw each org with (src/config/known-maps.ts): it reads it when a
 * reconciliation first meets the org and again on every push to the config repo's default branch, and planning
 * starts reading what that map names while it reads the map. Seen from GitHub: a repository the known map names
 * has its PRs listed by the next command even if the map no longer names it, until the replica learns the new map.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL, renderMap, type ServiceSpec } from '../../src/demo/seed-org.ts';
import type { IncomingRequestInfo } from '../../src/sandbox/index.ts';
import { seed, startWorld, type World } from './support/world.ts';

const E2E_TIMEOUT = 300_000;
const ORG = 'kmap';

let world: World;
/** REST paths Unwind requested, in order. */
const requests: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  world.sandbox.onRequest((r: IncomingRequestInfo) => {
    if (r.actor?.endsWith('[bot]')) requests.push(`${r.method} ${r.path}`);
  });
}, E2E_TIMEOUT);
afterAll(async () => {
  world?.sandbox.onRequest(null);
  await world?.close();
});

const services = (names: string[]): ServiceSpec[] => names.map((n) => ({ name: n, repo: `${ORG}/${n}`, dependsOn: n === 'api' ? [] : ['api'] }));
const listed = (from: number, repo: string): boolean => requests.slice(from).includes(`GET /repos/${ORG}/${repo}/pulls`);

async function dryRun(target: number): Promise<string> {
  const d = world.sandbox.driver;
  const id = await d.comment(ONCALL, ORG, 'api', target, '/rollback --dry-run');
  await world.settle();
  const reply = d.listComments(ORG, 'api', target).find((c) => c.viaApp && c.body.includes(`unwind:reply-to ${id} `));
  if (!reply) throw new Error('no reply to the dry run');
  return reply.body;
}

describe('the map a replica knows', () => {
  it('is learned by reconciliation and by pushes to the config repo; a stale one costs reads, never the plan', async () => {
    await seed(world, { org: ORG, services: services(['api', 'web', 'old']) });
    const d = world.sandbox.driver;
    const [change] = await mergeChangeSet(d, ORG, [{ repo: `${ORG}/api`, branch: 'feature', title: 'Feature', files: { 'src/app.txt': 'api v2\n' } }]);
    // The replica meets the org (installed after it started) in a reconciliation pass, and reads its map.
    await world.server.unwind.reconcile();

    // The map changes while no webhook reaches the replica: `old` is no longer mapped.
    const unmapOldUnseen = async (): Promise<void> => {
      world.sandbox.setWebhookUrl(null);
      await d.commit(ORG, '.github', { branch: 'main', files: { 'unwind/map.yml': renderMap({ org: ORG, services: services(['api', 'web']) }) }, message: 'Unmap old' });
      await world.sandbox.idle();
      world.sandbox.setWebhookUrl(world.server.webhookUrl);
    };
    await unmapOldUnseen();
    let from = requests.length;
    const first = await dryRun(change.number);
    // The known map still named `old`: its PRs were listed, but the plan is the map's as read now.
    expect(listed(from, 'old')).toBe(true);
    expect(listed(from, 'web')).toBe(true);
    expect(first).toContain('Dry run');
    expect(first).not.toContain(`${ORG}/old`);

    // Planning learned the map it read: the next command does not list `old`.
    from = requests.length;
    await dryRun(change.number);
    expect(listed(from, 'old')).toBe(false);

    // A push (webhooks on) that maps `old` again is learned from its webhook: when the map then drops `old`
    // unseen, the next command lists `old` again (from the map the push taught it), and still plans without it.
    await d.commit(ORG, '.github', { branch: 'main', files: { 'unwind/map.yml': renderMap({ org: ORG, services: services(['api', 'web', 'old']) }) }, message: 'Map old again' });
    await world.settle();
    await unmapOldUnseen();
    from = requests.length;
    expect(await dryRun(change.number)).not.toContain(`${ORG}/old`);
    expect(listed(from, 'old')).toBe(true);
  }, E2E_TIMEOUT);
});
