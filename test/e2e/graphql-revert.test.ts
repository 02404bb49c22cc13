/**
 * Reverts without a clone: by default (`UNWIND_REVERT_VIA` unset), a step that reverts exactly one merged PR asks
 * GitHub's GraphQL `revertPullRequest` (the sandbox validates it against GitHub's published schema in strict
 * mode), while a step with several targets, and what GitHub refuses, still goes through git. A crash right after
 * the mutation resumes to exactly one revert PR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import type { IncomingRequestInfo } from '../../src/sandbox/index.ts';
import { fileAt, git, seed, startWorld, trackingIssues, type World } from './support/world.ts';

/** Whole rollbacks on a shared two-core machine: generous, since the tests wait for states, never for time. */
const E2E_TIMEOUT = 300_000;

let world: World;
const previous = process.env.UNWIND_REVERT_VIA;
/** Every git smart-HTTP request the sandbox served, by `owner/repo`. */
const gitRequests = new Map<string, number>();
/** Every GraphQL request the sandbox served. */
let graphqlRequests = 0;

beforeAll(async () => {
  delete process.env.UNWIND_REVERT_VIA;
  world = await startWorld();
  world.sandbox.onRequest((r: IncomingRequestInfo) => {
    if (r.path === '/graphql') graphqlRequests += 1;
    const m = /^\/([^/]+)\/([^/]+)\.git\//.exec(r.path);
    if (m) gitRequests.set(`${m[1]}/${m[2]}`, (gitRequests.get(`${m[1]}/${m[2]}`) ?? 0) + 1);
  });
}, E2E_TIMEOUT);
afterAll(async () => {
  world?.sandbox.onRequest(null);
  await world?.close();
  if (previous === undefined) delete process.env.UNWIND_REVERT_VIA;
  else process.env.UNWIND_REVERT_VIA = previous;
});

describe('revert steps through GitHub\'s revertPullRequest', () => {
  it('opens single-PR reverts with one GraphQL call and no clone; a two-PR step still reverts with git', async () => {
    const org = 'gqlrev';
    await seed(world, {
      org,
      services: [
        { name: 'web', repo: `${org}/web`, dependsOn: ['api'], waitFor: ['ci'], labels: ['rollback'] },
        { name: 'api', repo: `${org}/api`, dependsOn: ['db'], waitFor: ['ci'] },
        { name: 'db', repo: `${org}/db`, waitFor: ['ci'], mergeMethod: 'squash' },
      ],
      ci: [{ name: 'ci', result: 'success', delayMs: 30 }],
    });
    const d = world.sandbox.driver;
    const before = { web: git(world, org, 'web', 'rev-parse', 'main'), api: git(world, org, 'api', 'rev-parse', 'main'), db: git(world, org, 'db', 'rev-parse', 'main') };
    const merged = await mergeChangeSet(d, org, [
      { repo: `${org}/db`, branch: 'schema', title: 'Add column', files: { 'src/app.txt': 'db v2\n', 'migrations/2.sql': 'alter table\n' }, method: 'squash' },
      { repo: `${org}/api`, branch: 'use-column', title: 'Use column', files: { 'src/app.txt': 'api v2\n' }, dependsOn: [0] },
      { repo: `${org}/api`, branch: 'log-column', title: 'Log column', files: { 'src/log.txt': 'log v2\n' }, dependsOn: [1] },
      { repo: `${org}/web`, branch: 'show-column', title: 'Show column', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [2] },
    ]);
    gitRequests.clear();
    graphqlRequests = 0;
    const mutationsBefore = world.sandbox.graphqlOperations()['mutation UnwindRevertPull'] ?? 0;

    await d.comment(ONCALL, org, 'db', merged[0].number, '/rollback --reason "db errors"');
    await world.settle();

    const [tracking] = trackingIssues(world, org, 'db');
    expect(tracking.state.status).toBe('completed');
    const step = (repo: string) => tracking.state.steps.find((s) => s.repo === `${org}/${repo}`)!;
    expect(step('web').targets).toHaveLength(1);
    expect(step('api').targets).toHaveLength(2);
    expect(step('db').targets).toHaveLength(1);
    // Single-PR steps: GitHub's revert branch and PR, Unwind's title, body and labels, no git traffic at all.
    for (const [repo, change] of [['web', merged[3]], ['db', merged[0]]] as const) {
      const s = step(repo);
      expect(s.branch).toBe(`revert-${change.number}-${repo === 'web' ? 'show-column' : 'schema'}`);
      expect(s.bytesFetched).toBeNull();
      const revert = d.getIssue(org, repo, s.pr!.number);
      expect(revert.title).toBe(repo === 'web' ? 'Revert "Show column"' : 'Revert "Add column"');
      expect(revert.body).toContain(`Rollback-Id: ${tracking.state.id}`);
      expect(revert.body).toContain(`${org}/${repo}/pull/${change.number}`);
      expect(revert.user).toBe(`${world.sandbox.app.slug}[bot]`);
      expect(d.getPull(org, repo, s.pr!.number).merged).toBe(true);
      expect(gitRequests.get(`${org}/${repo}`) ?? 0).toBe(0);
    }
    expect(d.getIssue(org, 'web', step('web').pr!.number).labels).toEqual(['rollback']);
    // The two-PR step: Unwind's own branch, made with git (a fetch and a push).
    expect(step('api').branch.startsWith('unwind/')).toBe(true);
    expect(step('api').bytesFetched).toBeGreaterThan(0);
    expect(gitRequests.get(`${org}/api`) ?? 0).toBeGreaterThan(0);
    // One mutation per single-PR step (the configuration is read with GraphQL queries too).
    expect((world.sandbox.graphqlOperations()['mutation UnwindRevertPull'] ?? 0) - mutationsBefore).toBe(2);
    expect(graphqlRequests).toBeGreaterThan(2);
    // Every default branch is back where it was, and the merged reverts carry the rollback's trailer.
    for (const repo of ['web', 'api', 'db'] as const) {
      expect(git(world, org, repo, 'diff', '--stat', before[repo], 'main')).toBe('');
      expect(git(world, org, repo, 'log', '--format=%B', `${before[repo]}..main`)).toContain(`Rollback-Id: ${tracking.state.id}`);
    }
    expect(fileAt(world, org, 'db', 'main', 'migrations/2.sql')).toBeNull();
    // The GitHub-made PRs were announced like REST-created ones.
    const opened = world.sandbox.deliveries().filter((x) => x.event === 'pull_request' && x.action === 'opened');
    expect(opened.length).toBeGreaterThanOrEqual(3);
  }, E2E_TIMEOUT);

  it('falls back to git when GitHub refuses (the change was already undone by hand): no revert PR, the step says so', async () => {
    const org = 'gqlundone';
    await seed(world, { org, services: [{ name: 'svc', repo: `${org}/svc`, waitFor: ['ci'] }], ci: [{ name: 'ci', result: 'success', delayMs: 30 }] });
    const d = world.sandbox.driver;
    const merged = await mergeChangeSet(d, org, [{ repo: `${org}/svc`, branch: 'feat', title: 'Feature', files: { 'src/app.txt': 'svc v2\n' } }]);
    // The file as it was before the PR (`git show`, untrimmed: fileAt trims).
    const original = git(world, org, 'svc', 'cat-file', 'blob', `${merged[0].mergeSha}^1:src/app.txt`);
    await d.commit(org, 'svc', { branch: 'main', files: { 'src/app.txt': `${original}\n` }, message: 'Undo the feature by hand' });
    expect(git(world, org, 'svc', 'diff', `${merged[0].mergeSha}^1`, 'main')).toBe('');
    gitRequests.clear();
    await d.comment(ONCALL, org, 'svc', merged[0].number, '/rollback');
    await world.settle();
    const [tracking] = trackingIssues(world, org, 'svc');
    expect(tracking.state.status).toBe('completed');
    const [s] = tracking.state.steps;
    expect(s.state).toBe('verified');
    expect(s.pr).toBeNull();
    expect(s.detail).toMatch(/nothing to revert/);
    // GitHub refused (an empty revert), so git looked: that is a fetch.
    expect(gitRequests.get(`${org}/svc`) ?? 0).toBeGreaterThan(0);
    expect(d.listPulls(org, 'svc').filter((p) => p.headRef.startsWith('revert-'))).toHaveLength(0);
  }, E2E_TIMEOUT);
});

describe('a crash right after revertPullRequest', () => {
  // A world of its own, whose Unwind dies once at the first `pr_open` boundary: GitHub has made the revert PR,
  // the tracking issue does not know it yet.
  let crashWorld: World;
  let crashed = false;
  beforeAll(async () => {
    crashWorld = await startWorld({
      beforeEffect: (point) => {
        if (point === 'step:pr_open' && !crashed) {
          crashed = true;
          throw new Error(`simulated crash at ${point}`);
        }
      },
    });
  });
  afterAll(async () => {
    await crashWorld?.close();
  }, E2E_TIMEOUT);

  it('resumes from the tracking issue alone: the PR the mutation made is found, never a second one', async () => {
    const org = 'gqlcrash';
    await seed(crashWorld, {
      org,
      services: [
        { name: 'front', repo: `${org}/front`, dependsOn: ['back'], waitFor: ['ci'] },
        { name: 'back', repo: `${org}/back`, waitFor: ['ci'] },
      ],
      ci: [{ name: 'ci', result: 'success', delayMs: 30 }],
    });
    const d = crashWorld.sandbox.driver;
    const merged = await mergeChangeSet(d, org, [
      { repo: `${org}/back`, branch: 'b', title: 'Back change', files: { 'src/app.txt': 'back v2\n' } },
      { repo: `${org}/front`, branch: 'f', title: 'Front change', files: { 'src/app.txt': 'front v2\n' }, dependsOn: [0] },
    ]);
    await d.comment(ONCALL, org, 'back', merged[0].number, '/rollback');
    await crashWorld.settle();
    expect(crashed).toBe(true);
    const [stopped] = trackingIssues(crashWorld, org, 'back');
    expect(stopped.state.status).toBe('running');
    expect(stopped.state.steps.find((s) => s.repo === `${org}/front`)?.pr).toBeNull();
    expect(d.listPulls(org, 'front').filter((p) => p.headRef.startsWith('revert-'))).toHaveLength(1);
    // The reconciler resumes the rollback from its tracking issue (the crashed run's memory is gone).
    await crashWorld.server.unwind.reconcile();
    await crashWorld.settle();
    const [tracking] = trackingIssues(crashWorld, org, 'back');
    expect(tracking.state.status).toBe('completed');
    for (const [repo, change, branch] of [['front', merged[1], 'f'], ['back', merged[0], 'b']] as const) {
      const reverts = d.listPulls(org, repo).filter((p) => p.headRef.startsWith('revert-'));
      expect(reverts.map((p) => p.headRef)).toEqual([`revert-${change.number}-${branch}`]);
      expect(reverts[0].merged).toBe(true);
      expect(tracking.state.steps.find((s) => s.repo === `${org}/${repo}`)?.pr?.number).toBe(reverts[0].number);
      expect(fileAt(crashWorld, org, repo, 'main', 'src/app.txt')).toBe(`${repo} v1`);
      expect(d.listPulls(org, repo).filter((p) => p.headRef.startsWith('unwind/'))).toHaveLength(0);
    }
  }, E2E_TIMEOUT);
});
