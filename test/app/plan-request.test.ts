/**
 * planRequest starts reading what the map this replica last saw names (listings, contracts) while it reads the
 * map itself (config/known-maps.ts). Those reads are a guess: the plan is always the one the map read now gives,
 * whether the guess was right, stale or absent.
 */
import { describe, expect, it } from 'vitest';
import type { CommandEnv } from '../../src/app/command-env.ts';
import { ActorAccess } from '../../src/app/actor-access.ts';
import { planRequest } from '../../src/app/plan-request.ts';
import { PolicySource } from '../../src/app/policy-source.ts';
import type { RollbackRunner } from '../../src/app/rollback-runner.ts';
import { KnownMaps, outlineOf } from '../../src/config/known-maps.ts';
import { MapSchema } from '../../src/config/map-schema.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

const NOW = new Date('2025-01-10T00:00:00Z');
const MAP = ['services:', '  api:', '    repo: acme/api', '  web:', '    repo: acme/web', '    depends_on: [api]', '  app:', '    repo: acme/app', '    depends_on: [api]', ''].join('\n');

function world(): { gh: FakeGitHub; target: number } {
  const gh = new FakeGitHub();
  gh.addRepo('acme/.github', { files: { 'unwind/map.yml': MAP } });
  for (const name of ['api', 'web', 'app', 'old']) gh.addRepo(`acme/${name}`, { files: { '.github/unwind.yml': `service: ${name}\nowners: [alice]\n`, 'src/app.txt': 'v1\n' } });
  const target = gh.mergedPull('acme/api', { title: 'Field', files: { 'src/app.txt': 'v2\n' } });
  for (const name of ['web', 'app']) gh.mergedPull(`acme/${name}`, { title: `Use the field in ${name}`, body: `Depends-On: acme/api#${target.number}`, files: { 'src/app.txt': 'v2\n' } });
  return { gh, target: target.number };
}

function env(gh: FakeGitHub, knownMaps?: KnownMaps): CommandEnv {
  return {
    client: { installationId: 1, port: gh, token: async () => 'unused' },
    runner: {} as RollbackRunner,
    policies: new PolicySource(silentLogger),
    botLogin: 'unwind[bot]',
    trust: { keyring: testKeyring(), botLogin: 'unwind[bot]' },
    now: () => NOW,
    log: silentLogger,
    workRoot: '/nonexistent',
    ...(knownMaps ? { knownMaps } : {}),
  };
}

async function plan(gh: FakeGitHub, target: number, knownMaps?: KnownMaps) {
  const result = await planRequest(env(gh, knownMaps), {
    org: 'acme',
    targets: [{ kind: 'pull', owner: 'acme', repo: 'api', number: target }],
    now: NOW,
    access: new ActorAccess(gh, 'alice', false),
    replyRepo: 'acme/api',
  });
  if (!result.ok) throw new Error(result.message);
  return result.plan;
}

const mapReadAt = (gh: FakeGitHub): number => gh.calls.findIndex((c) => JSON.stringify(c.args).includes('unwind/map.yml'));
const listings = (gh: FakeGitHub): string[] => gh.calls.filter((c) => c.method === 'listPulls').map((c) => { const r = c.args[0] as { owner: string; repo: string }; return `${r.owner}/${r.repo}`; });

describe('planRequest from a known map', () => {
  it('with the map it knows: reads the listings before the map answers, each once, and plans as without it', async () => {
    const cold = world();
    const without = await plan(cold.gh, cold.target);
    expect(without.waves.flatMap((w) => w.steps.map((s) => s.repo)).sort()).toEqual(['acme/api', 'acme/app', 'acme/web']);
    // No map known: the listings wait for the map.
    expect(cold.gh.calls.findIndex((c) => c.method === 'listPulls')).toBeGreaterThan(mapReadAt(cold.gh));

    const warm = world();
    const maps = new KnownMaps();
    maps.remember('acme', MapSchema.parse({ services: { api: { repo: 'acme/api' }, web: { repo: 'acme/web', depends_on: ['api'] }, app: { repo: 'acme/app', depends_on: ['api'] } } }));
    const withKnown = await plan(warm.gh, warm.target, maps);
    expect(withKnown).toEqual(without);
    expect(warm.gh.calls.findIndex((c) => c.method === 'listPulls')).toBeLessThan(mapReadAt(warm.gh));
    expect(listings(warm.gh).sort()).toEqual(['acme/api', 'acme/app', 'acme/web']);
  });

  it('with a stale map (a repository gone, one added since): plans from the map read now, and learns it', async () => {
    const cold = world();
    const without = await plan(cold.gh, cold.target);

    const { gh, target } = world();
    const maps = new KnownMaps();
    maps.remember('ACME', MapSchema.parse({ services: { api: { repo: 'acme/api' }, web: { repo: 'acme/web', depends_on: ['api'] }, old: { repo: 'acme/old', depends_on: ['api'] } } }));
    const stale = await plan(gh, target, maps);
    expect(stale).toEqual(without);
    // The guess cost a listing of the repository no longer mapped; the one added since was read after the map.
    expect(listings(gh)).toContain('acme/old');
    expect(listings(gh).filter((r) => r === 'acme/app')).toHaveLength(1);
    expect(maps.outline('acme')).toEqual({ ...outlineOf(MapSchema.parse({ services: { api: { repo: 'acme/api' }, web: { repo: 'acme/web' }, app: { repo: 'acme/app' } } })), commitSha: await gh.getBranchSha({ owner: 'acme', repo: '.github' }, 'main') });
  });

  it('forgets an org whose map has errors, and plans nothing from the guess', async () => {
    const { gh, target } = world();
    gh.commit('acme/.github', { files: { 'unwind/map.yml': 'services: [not, a, mapping]\n' } });
    const maps = new KnownMaps();
    maps.remember('acme', MapSchema.parse({ services: { api: { repo: 'acme/api' } } }));
    const result = await planRequest(env(gh, maps), { org: 'acme', targets: [{ kind: 'pull', owner: 'acme', repo: 'api', number: target }], now: NOW, access: new ActorAccess(gh, 'alice', false), replyRepo: 'acme/api' });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toMatch(/unwind\/map\.yml/);
    expect(maps.outline('acme')).toBeUndefined();
  });
});

describe('KnownMaps', () => {
  it('keeps one outline per org (case-insensitive): the repositories, and those holding several services', () => {
    const maps = new KnownMaps();
    maps.remember('Acme', MapSchema.parse({ services: { a: { repo: 'acme/mono', path: 'a' }, b: { repo: 'acme/Mono', path: 'b' }, c: { repo: 'acme/c' } } }));
    expect(maps.outline('acme')).toEqual({ repos: ['acme/Mono', 'acme/c', 'acme/mono'], shared: ['acme/mono'], commitSha: null });
    maps.remember('acme', MapSchema.parse({ services: {} }), 'abc123');
    expect(maps.outline('ACME')).toEqual({ repos: [], shared: [], commitSha: 'abc123' });
    maps.forget('ACME');
    expect(maps.outline('acme')).toBeUndefined();
  });

  it('remembers at most 1,000 orgs, the least recently seen going first', () => {
    const maps = new KnownMaps();
    const map = MapSchema.parse({ services: { a: { repo: 'x/a' } } });
    for (let i = 0; i <= 1_000; i++) maps.remember(`org${i}`, map);
    expect(maps.outline('org0')).toBeUndefined();
    expect(maps.outline('org1')).toBeDefined();
    expect(maps.outline('org1000')).toBeDefined();
  });
});
