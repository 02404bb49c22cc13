import { describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/fake-github.ts';
import { gatherPullFacts } from '../../src/planning/gather-pull-facts.ts';
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
});
