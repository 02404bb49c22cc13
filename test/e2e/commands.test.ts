/** Commands as users meet them: acknowledgements, status, help, dry runs, every malformed form, config errors, locks. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { commentsOn, git, seed, startWorld, trackingIssues, revertBranches, type World } from './support/world.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.close();
});

async function orgWithChange(org: string, ci?: 'success' | 'failure') {
  await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc`, waitFor: ci ? ['ci'] : [] }], ci: ci ? [{ name: 'ci', result: ci, delayMs: 20 }] : undefined });
  const changes = await mergeChangeSet(world.sandbox.driver, org, [
    { repo: `${org}/svc`, branch: 'a', title: 'Change A', files: { 'src/a.txt': 'a\n' } },
    { repo: `${org}/svc`, branch: 'b', title: 'Change B', files: { 'src/b.txt': 'b\n' } },
  ]);
  return changes;
}

/** Posts a comment and returns the bot's replies to it. */
async function say(org: string, repo: string, issue: number, body: string): Promise<string[]> {
  const d = world.sandbox.driver;
  const id = await d.comment(ONCALL, org, repo, issue, body);
  await world.settle();
  return d
    .listComments(org, repo, issue)
    .filter((c) => c.viaApp && c.body.includes(`unwind:reply-to ${id} `))
    .map((c) => c.body);
}

let errorsOrgSeeded = false;

describe('commands', () => {
  it('acknowledges with 👀, answers help and plan (dry run: nothing changes)', async () => {
    const org = 'cmd-basic';
    const [a] = await orgWithChange(org);
    const help = await say(org, 'svc', a.number, '/rollback help');
    expect(help[0]).toMatch(/\/rollback approve/);
    const commandComment = world.sandbox.driver.listComments(org, 'svc', a.number).find((c) => c.body === '/rollback help');
    expect(commandComment?.reactions.map((r) => r.content)).toContain('eyes');
    const plan = await say(org, 'svc', a.number, '/rollback plan');
    expect(plan[0]).toContain('Dry run');
    expect(plan[0]).toContain('Policy decision');
    expect(trackingIssues(world, org, 'svc')).toHaveLength(0);
    expect(revertBranches(world.sandbox, org, 'svc')).toEqual([]);
  });

  it.each([
    ['/rollback frobnicate', /frobnicate/],
    ['/rollback --dry-rn', /dry-run/],
    ['/rollback approve rb-aaaaaaaa rb-bbbbbbbb', /approve/],
    ['/rollback acme/svc#abc', /target/i],
    ['/rollback --reason "unterminated', /quote/i],
    ['/rollback approve not-an-id', /rb-/],
  ])('replies with the correct form to %s', async (body, pattern) => {
    const org = 'cmd-errors';
    if (!errorsOrgSeeded) {
      errorsOrgSeeded = true;
      await orgWithChange(org);
    }
    const replies = await say(org, 'svc', 1, body);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(pattern);
    expect(replies[0]).toMatch(/\/rollback/);
  });

  it('ignores text that is not a command, and commands inside code blocks', async () => {
    const org = 'cmd-ignore';
    const [a] = await orgWithChange(org);
    const before = commentsOn(world, org, 'svc', a.number).length;
    await say(org, 'svc', a.number, 'we should /rollback this maybe');
    await say(org, 'svc', a.number, '```\n/rollback\n```');
    expect(commentsOn(world, org, 'svc', a.number)).toHaveLength(before + 2);
    expect(trackingIssues(world, org, 'svc')).toHaveLength(0);
  });

  it('reports status, and tells a second rollback which rollback holds the repository', async () => {
    const org = 'cmd-lock';
    const [a, b] = await orgWithChange(org, 'failure');
    await say(org, 'svc', a.number, '/rollback');
    const [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('stopped');
    const status = await say(org, 'svc', tracking.number, '/rollback status');
    expect(status[0]).toContain(tracking.state.id);
    expect(status[0]).toContain('checks_failed');
    const second = await say(org, 'svc', b.number, '/rollback');
    expect(second[0]).toContain(`held by rollback \`${tracking.state.id}\``);
    expect(trackingIssues(world, org, 'svc')).toHaveLength(1);
  });

  it('replies with every configuration error as file:line:col and does nothing', async () => {
    const org = 'cmd-config';
    await seed(world, {
      org,
      services: [
        { name: 'a', repo: `${org}/a`, dependsOn: ['b'] },
        { name: 'b', repo: `${org}/b`, dependsOn: ['a'] },
      ],
    });
    const [change] = await mergeChangeSet(world.sandbox.driver, org, [{ repo: `${org}/a`, branch: 'x', title: 'X', files: { 'src/x.txt': 'x\n' } }]);
    const replies = await say(org, 'a', change.number, '/rollback');
    expect(replies[0]).toMatch(/unwind\/map\.yml:\d+:\d+: error: .*a → b → a/);
    expect(trackingIssues(world, org, 'a')).toHaveLength(0);
  });

  it('asks for targets when /rollback is given on an issue without any', async () => {
    const org = 'cmd-issue';
    await orgWithChange(org);
    const issue = await world.sandbox.driver.createIssue(ONCALL, org, 'svc', { title: 'Incident' });
    const replies = await say(org, 'svc', issue, '/rollback');
    expect(replies[0]).toMatch(/Name what to roll back/);
  });
});
