import { describe, expect, it } from 'vitest';
import { planRollback } from '../../src/planning/plan-rollback.ts';
import { MapSchema } from '../../src/config/map-schema.ts';
import { ContractSchema } from '../../src/config/contract-schema.ts';
import type { PlanStep } from '../../src/planning/types.ts';
import { acme, NOW, pull } from './scenario.ts';

const waves = (steps: ReadonlyArray<{ steps: readonly PlanStep[] }>) => steps.map((w) => w.steps.map((s) => s.key));

describe('planRollback on the acme scenario', () => {
  const { map, contracts, pulls } = acme();
  const result = planRollback({ targets: ['acme/schema#3'], map, contracts, pulls, now: NOW });

  it('expands Depends-On transitively (short refs and URLs), joins the group, and orders dependents first', () => {
    expect(result.errors).toEqual([]);
    expect(waves(result.plan!.waves)).toEqual([['acme/mobile:mobile', 'acme/web:web'], ['acme/api:api'], ['acme/schema:schema']]);
  });

  it('reverts several PRs in one repo newest first, -m 1 for merge commits', () => {
    const api = result.plan!.waves[1].steps[0];
    expect(api.pulls.map((p) => [p.number, p.reason, p.mergeMethodUsed])).toEqual([[13, 'dependent', 'squash'], [12, 'dependent', 'merge']]);
    expect(api.reverts).toEqual([
      { sha: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb13', mainline: null, source: 'acme/api#13' },
      { sha: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb12', mainline: 1, source: 'acme/api#12' },
    ]);
    expect(api.changedFiles).toEqual(['src/filters.ts', 'src/orders.ts']);
    expect(api).toMatchObject({ mergeMethod: 'merge', waitForChecks: ['ci', 'integration'], tier: 'prod' });
    expect(api.pulls[1].dependsOn).toEqual(['acme/schema#3']);
  });

  it('gives compensate-only services compensation steps instead of reverts', () => {
    const schema = result.plan!.waves[2].steps[0];
    expect(schema).toMatchObject({ action: 'compensate', reverts: [] });
    expect(schema.pulls.map((p) => p.number)).toEqual([3]);
    expect(schema.compensations).toEqual([
      expect.objectContaining({ id: 'down-migration', workflow: '.github/workflows/down-migration.yml', when: 'before_revert', onFailure: 'escalate', idempotencyKey: '{rollback_id}:acme/schema:down-migration' }),
    ]);
  });

  it('group members join only with changes since the group\'s earliest selected merge', () => {
    const mobile = result.plan!.waves[0].steps.find((s) => s.service === 'mobile')!;
    expect(mobile.pulls.map((p) => [p.number, p.reason])).toEqual([[7, 'group']]);
    expect(mobile.group).toBe('frontend');
  });

  it('warns about unknown links and unmerged dependents', () => {
    expect(result.warnings.map((w) => [w.code, w.subject])).toEqual([
      ['unknown_link', 'acme/api#12'],
      ['unmerged_dependent', 'acme/web#41'],
    ]);
  });

  it('is deterministic: the same input gives byte-identical JSON, whatever the order of the facts', () => {
    const again = planRollback({ targets: ['acme/schema#3'], map, contracts, pulls: [...pulls].reverse(), now: NOW });
    expect(JSON.stringify(again)).toBe(JSON.stringify(result));
  });
});

describe('planRollback targets and bounds', () => {
  const map = MapSchema.parse({
    services: { a: { repo: 'o/a', depends_on: ['b'] }, b: { repo: 'o/b', depends_on: ['c'] }, c: { repo: 'o/c' } },
  });
  const none = new Map();

  it('rejects bad, unknown and unmerged targets together', () => {
    const r = planRollback({ targets: ['nonsense', 'o/a#9', 'o/b#2'], map, contracts: none, pulls: [pull('o/b', 2, { merged: false, mergedAt: null, mergeCommitSha: null })], now: NOW });
    expect(r.plan).toBeNull();
    expect(r.errors.map((e) => e.code)).toEqual(['bad_target', 'unknown_target', 'unmerged_target']);
  });

  it('resolves a commit target to the PR it merged, and plans a bare commit otherwise', () => {
    const p = pull('o/a', 1);
    const r = planRollback({
      targets: [`o/a@${p.mergeCommitSha!.slice(0, 10)}`, 'o/c@abcdef1'], map, contracts: none, pulls: [p], now: NOW,
      commits: [{ repo: 'o/c', sha: 'abcdef1234567890abcdef1234567890abcdef12', parents: 2, message: 'hotfix\n\nbody', committedAt: '2025-01-02T00:00:00Z', files: ['x'], author: null }],
    });
    expect(r.errors).toEqual([]);
    expect(waves(r.plan!.waves)).toEqual([['o/a:a'], ['o/c:c']]);
    expect(r.plan!.waves[1].steps[0].reverts).toEqual([{ sha: 'abcdef1234567890abcdef1234567890abcdef12', mainline: 1, source: 'o/c@abcdef1234567890abcdef1234567890abcdef12' }]);
  });

  it('orders through services that are not part of the rollback', () => {
    const r = planRollback({ targets: ['o/c#1', 'o/a#2'], map, contracts: none, pulls: [pull('o/c', 1), pull('o/a', 2)], now: NOW });
    expect(waves(r.plan!.waves)).toEqual([['o/a:a'], ['o/c:c']]);
  });

  it('stops expansion at maxPulls and maxDepth with an error', () => {
    const chain = [pull('o/c', 1), pull('o/b', 2, { body: 'Depends-On: o/c#1' }), pull('o/a', 3, { body: 'Depends-On: o/b#2' })];
    expect(planRollback({ targets: ['o/c#1'], map, contracts: none, pulls: chain, now: NOW, limits: { maxPulls: 2 } }).errors.map((e) => e.code)).toEqual(['expansion_limit']);
    expect(planRollback({ targets: ['o/c#1'], map, contracts: none, pulls: chain, now: NOW, limits: { maxDepth: 1 } }).errors.map((e) => e.code)).toEqual(['expansion_depth']);
    expect(planRollback({ targets: ['o/c#1'], map, contracts: none, pulls: chain, now: NOW }).plan!.summary.pulls).toBe(3);
  });

  it('names the cycle when Depends-On links contradict the map', () => {
    const r = planRollback({ targets: ['o/a#1'], map, contracts: none, pulls: [pull('o/a', 1), pull('o/c', 2, { body: 'Depends-On: o/a#1' })], now: NOW });
    expect(r.plan).toBeNull();
    expect(r.errors).toEqual([{ code: 'cycle', subject: 'a', message: 'dependency cycle: a → b → c → a' }]);
  });

  it('refuses compensate-only services without compensations', () => {
    const m = MapSchema.parse({ services: { a: { repo: 'o/a', rollback: 'compensate' }, b: { repo: 'o/b' } } });
    const r = planRollback({ targets: ['o/a#1', 'o/b#2'], map: m, contracts: none, pulls: [pull('o/a', 1), pull('o/b', 2)], now: NOW });
    expect(r.errors.map((e) => e.code)).toEqual(['no_compensation']);
  });

  it('plans repos whose contract is paused, with a warning: the policy decides (an admin may override)', () => {
    const m = MapSchema.parse({ services: { a: { repo: 'o/a', depends_on: ['b'] }, b: { repo: 'o/b' } } });
    const contracts = new Map([['o/b', ContractSchema.parse({ paused: true })]]);
    const r = planRollback({ targets: ['o/b#2'], map: m, contracts, pulls: [pull('o/b', 2), pull('o/a', 1, { body: 'Depends-On: o/b#2' })], now: NOW });
    expect(r.errors).toEqual([]);
    expect(waves(r.plan!.waves)).toEqual([['o/a:a'], ['o/b:b']]);
    expect(r.warnings).toEqual([{ code: 'repo_paused', subject: 'o/b', message: 'o/b is paused by its contract (paused: true); the governance policy decides whether it may be rolled back' }]);
  });

  it('plans services named like what every object has, and never takes an inherited name for a service', () => {
    const m = MapSchema.parse({ services: { hasOwnProperty: { repo: 'o/a' }, constructor: { repo: 'o/b', depends_on: ['hasOwnProperty'] }, toString: { repo: 'o/c', depends_on: ['constructor'] } } });
    const r = planRollback({ targets: ['o/a#1'], map: m, contracts: none, pulls: [pull('o/a', 1), pull('o/b', 2, { body: 'Depends-On: o/a#1' }), pull('o/c', 3, { body: 'Depends-On: o/b#2' })], now: NOW });
    expect(r.errors).toEqual([]);
    expect(waves(r.plan!.waves)).toEqual([['o/c:toString'], ['o/b:constructor'], ['o/a:hasOwnProperty']]);
    // An unmapped repo whose contract names `valueOf`: its own service, not Object.prototype.valueOf.
    const unmapped = planRollback({ targets: ['x/y#1'], map: MapSchema.parse({}), contracts: new Map([['x/y', ContractSchema.parse({ service: 'valueOf' })]]), pulls: [pull('x/y', 1)], now: NOW });
    expect(unmapped.plan!.waves[0].steps[0]).toMatchObject({ key: 'x/y:valueOf', service: 'valueOf' });
    expect(unmapped.warnings.map((w) => w.code)).toEqual(['unmapped_repo']);
  });

  it('plans repos missing from the map, ordered by their Depends-On links, with a warning', () => {
    const r = planRollback({ targets: ['x/lib#1'], map, contracts: none, pulls: [pull('x/lib', 1), pull('x/app', 2, { body: 'Depends-On: https://github.com/x/lib/pull/1' })], now: NOW });
    expect(waves(r.plan!.waves)).toEqual([['x/app:x/app'], ['x/lib:x/lib']]);
    expect(r.warnings.map((w) => w.code)).toEqual(['unmapped_repo', 'unmapped_repo']);
  });

  it('assigns PRs of a multi-service repo by path', () => {
    const m = MapSchema.parse({ services: { api: { repo: 'o/mono', path: 'api', depends_on: ['core'] }, core: { repo: 'o/mono', path: 'core' } } });
    const r = planRollback({ targets: ['o/mono#1'], map: m, contracts: none, now: NOW, pulls: [pull('o/mono', 1, { files: ['core/x.ts'] }), pull('o/mono', 2, { files: ['api/y.ts'], body: 'Depends-On: o/mono#1' })] });
    expect(waves(r.plan!.waves)).toEqual([['o/mono:api'], ['o/mono:core']]);
  });

  it('warns when a group member has nothing to revert', () => {
    const m = MapSchema.parse({ services: { a: { repo: 'o/a' }, b: { repo: 'o/b' } }, groups: { g: ['a', 'b'] } });
    const r = planRollback({ targets: ['o/a#5'], map: m, contracts: none, pulls: [pull('o/a', 5), pull('o/b', 1)], now: NOW });
    expect(waves(r.plan!.waves)).toEqual([['o/a:a']]);
    expect(r.warnings.map((w) => [w.code, w.subject])).toEqual([['group_member_unchanged', 'b']]);
  });
});
