import { describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/fake-github.ts';
import { gatherPullFacts, readDeferredFiles } from '../../src/app/gather-pull-facts.ts';
import { memoReads } from '../../src/app/memo-reads.ts';
import { planRollback } from '../../src/planning/plan-rollback.ts';
import { MapSchema } from '../../src/config/map-schema.ts';

function world() {
  const gh = new FakeGitHub();
  gh.addRepo('acme/api', { files: { 'README.md': 'api' } });
  gh.addRepo('acme/web', { files: { 'README.md': 'web' } });
  const old = gh.mergedPull('acme/api', { title: 'old', files: { 'old.ts': '1' }, mergedAt: '2024-12-01T00:00:00Z' });
  const target = gh.mergedPull('acme/api', { title: 'Add field', files: { 'src/field.ts': 'x' }, parents: 2 });
  const dependent = gh.mergedPull('acme/web', { title: 'Use field', body: `Depends-On: acme/api#${target.number}\nDepends-On: acme/other#5`, files: { 'app/field.tsx': 'y' } });
  const open = gh.openPull('acme/web', { title: 'WIP', body: `Depends-On: acme/api#${target.number}` });
  return { gh, old, target, dependent, open };
}

describe('gatherPullFacts', () => {
  it('collects targets, candidate dependents since `since`, open dependents, and files from merge commits', async () => {
    const { gh, target, dependent, open } = world();
    const facts = await gatherPullFacts(gh, { targets: [`acme/api#${target.number}`], repos: ['acme/api', 'acme/web'], since: new Date('2025-01-01T00:00:00Z') });
    expect(facts.pulls.map((p) => `${p.repo}#${p.number}`)).toEqual([`acme/api#${target.number}`, `acme/web#${dependent.number}`, `acme/web#${open.number}`]);
    const t = facts.pulls[0];
    expect(t).toMatchObject({ merged: true, mergeCommitSha: target.mergeCommitSha, mergeCommitParents: 2, files: ['src/field.ts'], author: 'dev' });
    expect(facts.pulls[2]).toMatchObject({ merged: false, files: [] });
    expect(facts.warnings).toEqual([]);

    const map = MapSchema.parse({ services: { api: { repo: 'acme/api' }, web: { repo: 'acme/web', depends_on: ['api'] } } });
    const plan = planRollback({ targets: [`acme/api#${target.number}`], map, contracts: new Map(), pulls: facts.pulls, commits: facts.commits, now: new Date('2025-02-01T00:00:00Z') });
    expect(plan.plan!.waves.map((w) => w.steps.map((s) => s.key))).toEqual([['acme/web:web'], ['acme/api:api']]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['unknown_link', 'unmerged_dependent']);
  });

  it("keeps GitHub's names of the PRs it read (head branch, node id) for GitHub's revert, and reads the target with the listings", async () => {
    const { gh, target, dependent } = world();
    gh.enableRevertPullRequest();
    const facts = await gatherPullFacts(gh, { targets: [`acme/api#${target.number}`], repos: ['acme/api', 'acme/web'], since: new Date('2025-01-01T00:00:00Z'), filesNow: () => false });
    expect(facts.refs.get(`acme/api#${target.number}`)).toEqual({ headRef: target.headRef, nodeId: `fake:acme/api#${target.number}` });
    // The target's read and the repositories' listings go out together, before any merge commit is read.
    const order = gh.calls.map((c) => c.method);
    expect(order.slice(0, 3).sort()).toEqual(['getPull', 'listPulls', 'listPulls']);
    // Files are read later in these repositories, except the target's (even when a listing found it first).
    expect(facts.pulls.find((p) => p.number === target.number)?.files).toEqual(['src/field.ts']);
    expect(facts.deferred).toEqual([`acme/web#${dependent.number}`]);
  });

  it('resolves a commit target to the merged PR, or to the bare commit', async () => {
    const { gh, target } = world();
    const direct = gh.commit('acme/api', { files: { 'hotfix.ts': 'z' }, message: 'hotfix' });
    const facts = await gatherPullFacts(gh, { targets: [`acme/api@${target.mergeCommitSha!.slice(0, 12)}`, `acme/api@${direct}`], repos: [], since: new Date() });
    expect(facts.pulls.map((p) => p.number)).toEqual([target.number]);
    expect(facts.commits).toEqual([expect.objectContaining({ repo: 'acme/api', sha: direct, parents: 1, message: 'hotfix', files: ['hotfix.ts'] })]);
  });

  it('is bounded by maxPulls and says so', async () => {
    const { gh, target } = world();
    const facts = await gatherPullFacts(gh, { targets: [`acme/api#${target.number}`], repos: ['acme/api', 'acme/web'], since: new Date(0), maxPulls: 2 });
    expect(facts.pulls).toHaveLength(2);
    expect(facts.warnings.map((w) => w.code)).toEqual(['facts_truncated']);
  });

  it('reads candidates\' files only where told, and later only for the PRs a plan selects: the same plan as reading all', async () => {
    const { gh, target, dependent } = world();
    const unrelated = gh.mergedPull('acme/web', { title: 'Unrelated', files: { 'docs.md': 'z' } });
    const map = MapSchema.parse({ services: { api: { repo: 'acme/api' }, web: { repo: 'acme/web', depends_on: ['api'] } } });
    const params = { targets: [`acme/api#${target.number}`], repos: ['acme/api', 'acme/web'], since: new Date('2025-01-01T00:00:00Z') };
    const planOf = (f: Awaited<ReturnType<typeof gatherPullFacts>>) => planRollback({ targets: params.targets, map, contracts: new Map(), pulls: f.pulls, commits: f.commits, now: new Date('2025-02-01T00:00:00Z') });
    const eager = await gatherPullFacts(gh, params);
    const commitReads = () => gh.calls.filter((c) => c.method === 'getCommit').length;
    const before = commitReads();
    const callsBefore = gh.calls.length;
    // Planning reads through one command's snapshot (memo-reads.ts).
    const reads = memoReads(gh);
    const lazy = await gatherPullFacts(reads, { ...params, filesNow: () => false });
    // Both web PRs wait for the plan; the dependent (it has a Depends-On line, the kind a plan selects) has its
    // merge commit asked for already, the unrelated one does not.
    expect(commitReads() - before).toBe(2);
    expect(gh.calls.slice(callsBefore).filter((c) => c.method === 'getCommit').map((c) => c.args[1])).not.toContain(unrelated.mergeCommitSha);
    expect(lazy.deferred).toEqual([`acme/web#${dependent.number}`, `acme/web#${unrelated.number}`]);
    const first = planOf(lazy);
    const selected = new Set(first.plan!.waves.flatMap((w) => w.steps.flatMap((s) => s.pulls.map((p) => `${s.repo}#${p.number}`))));
    const done = await readDeferredFiles(reads, lazy, selected);
    // The selected dependent's files come from that early read (no second one); the unrelated PR's are never read.
    expect(commitReads() - before).toBe(2);
    expect(gh.calls.slice(callsBefore).filter((c) => c.method === 'getCommit').map((c) => c.args[1])).not.toContain(unrelated.mergeCommitSha);
    expect(done.deferred).toEqual([`acme/web#${unrelated.number}`]);
    expect(planOf(done).plan).toEqual(planOf(eager).plan);
    expect(planOf(done).plan!.waves[0].steps[0].changedFiles).toEqual(['app/field.tsx']);
  });
});
