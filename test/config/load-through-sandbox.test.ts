/**
 * Configuration loaded through the real stack: the embedded GitHub sandbox (REST + git), an installation
 * Octokit and the Octokit adapter of the GitHub port. Covers `_extends`, the org default, a missing
 * contract (defaults), default-branch-only reads, and planning from facts gathered through the port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type TestSandbox } from '../sandbox/support/start.ts';
import { createInstallationOctokit } from '../../src/github/create-octokit.ts';
import { createOctokitPort } from '../../src/github/octokit-adapter.ts';
import type { GitHubPort } from '../../src/github/port.ts';
import { loadConfiguration } from '../../src/config/load-configuration.ts';
import { defaultContract } from '../../src/config/contract-schema.ts';
import { gatherPullFacts } from '../../src/app/gather-pull-facts.ts';
import { planRollback } from '../../src/planning/plan-rollback.ts';

const MAP = 'services:\n  api: { repo: acme/api, depends_on: [schema] }\n  web: { repo: acme/web, depends_on: [api] }\n  schema: { repo: acme/schema }\n';

let sb: TestSandbox;
let port: GitHubPort;

beforeAll(async () => {
  sb = await startTestSandbox();
  const d = sb.driver;
  await d.createOrg('acme');
  await d.createUser('dev');
  await d.createRepo('acme', '.github', { files: { 'unwind/map.yml': MAP, '.github/unwind.yml': 'owners: ["@acme/sre"]\nrevert:\n  merge_method: squash\n  wait_for: [ci]\n' } });
  await d.createRepo('acme', 'shared', { files: { 'conf/unwind.yml': '_extends: .github\nauto_revert:\n  checks: ["deploy/*"]\n' } });
  await d.createRepo('acme', 'api', { files: { '.github/unwind.yml': 'service: api\n_extends: shared:conf/unwind.yml\nrevert:\n  wait_for: [ci, e2e]\n', 'src/api.txt': 'v1\n' } });
  await d.createRepo('acme', 'web', { files: { 'src/web.txt': 'v1\n' } });
  await d.createRepo('acme', 'schema', { defaultBranch: 'trunk', files: { '.github/unwind.yml': 'paused: true\n', 'schema.sql': 'v1\n' } });
  for (const repo of ['.github', 'shared', 'api', 'web', 'schema']) await d.addCollaborator('acme', repo, 'dev', 'write');
  // A contract change on a feature branch must not be read.
  await d.commit('acme', 'schema', { branch: 'feature', files: { '.github/unwind.yml': 'paused: false\n' }, message: 'unpause (unmerged)' });
  await d.installApp('acme', { repositories: 'all' });
  port = createOctokitPort(createInstallationOctokit({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, installationId: sb.installationId('acme'), baseUrl: sb.baseUrl }));
}, 60_000);

afterAll(async () => {
  await sb?.close();
});

describe('loadConfiguration through the sandbox', () => {
  it('loads the map, follows _extends, falls back to the org default, and records commit SHAs', async () => {
    const result = await loadConfiguration(port, { org: 'acme', repos: ['acme/api', 'acme/web', 'acme/schema'] });
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.map.map!.services).sort()).toEqual(['api', 'schema', 'web']);
    expect(result.map.source).toMatchObject({ repo: 'acme/.github', path: 'unwind/map.yml', commitSha: expect.stringMatching(/^[0-9a-f]{40}$/) });

    const api = result.contracts.get('acme/api')!;
    expect(api.contract).toMatchObject({ service: 'api', owners: ['@acme/sre'], revert: { merge_method: 'squash', wait_for: ['ci', 'e2e'] }, auto_revert: { checks: ['deploy/*'] } });
    expect(api.sources.map((s) => `${s.repo}:${s.path}`)).toEqual(['acme/api:.github/unwind.yml', 'acme/shared:conf/unwind.yml', 'acme/.github:.github/unwind.yml']);
    expect(api.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(api.sources[0].commitSha).toBe(api.commitSha);

    // No contract in acme/web: the org default applies.
    const web = result.contracts.get('acme/web')!;
    expect(web.sources.map((s) => s.repo)).toEqual(['acme/.github']);
    expect(web.contract?.revert.merge_method).toBe('squash');

    // Default branch `trunk` only: the feature branch's change is ignored.
    expect(result.contracts.get('acme/schema')!.contract?.paused).toBe(true);
  });

  it('uses built-in defaults when neither the repo nor the org config repo has a contract', async () => {
    await sb.driver.createOrg('solo');
    await sb.driver.createRepo('solo', 'app', { files: { 'README.md': 'x\n' } });
    await sb.driver.installApp('solo', { repositories: 'all' });
    const solo = createOctokitPort(createInstallationOctokit({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, installationId: sb.installationId('solo'), baseUrl: sb.baseUrl }));
    const result = await loadConfiguration(solo, { org: 'solo', repos: ['solo/app'] });
    expect(result.contracts.get('solo/app')).toMatchObject({ contract: defaultContract(), isDefault: true, sources: [] });
    expect(result.problems.map((p) => [p.severity, p.message])).toEqual([['warning', 'org config repo solo/.github does not exist or is not readable; no dependency map']]);
  });

  it('reports a broken contract with its file, line and column', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { '.github/unwind.yml': 'revert:\n  merge_methd: squash\n' }, message: 'broken contract' });
    const result = await loadConfiguration(port, { org: 'acme', repos: ['acme/web'] });
    expect(result.contracts.get('acme/web')!.contract).toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ file: 'acme/web:.github/unwind.yml', line: 2, col: 3, message: 'unknown key "merge_methd"', hint: 'did you mean "merge_method"?' })]);
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { '.github/unwind.yml': null }, message: 'remove contract' });
  });

  it('reports a directory where the contract should be (GitHub answers a listing), never the defaults', async () => {
    await sb.driver.createRepo('acme', 'dir', { files: { '.github/unwind.yml/README.md': 'not a contract\n' } });
    await sb.driver.addCollaborator('acme', 'dir', 'dev', 'write');
    const result = await loadConfiguration(port, { org: 'acme', repos: ['acme/dir'] });
    expect(result.contracts.get('acme/dir')).toMatchObject({ contract: null, isDefault: false });
    expect(result.problems).toEqual([expect.objectContaining({ file: 'acme/dir:.github/unwind.yml', line: 1, col: 1, severity: 'error', message: '.github/unwind.yml is a directory, expected a YAML file' })]);
  });

  it('gathers PR facts through the port and plans from them', async () => {
    const d = sb.driver;
    const since = new Date(Date.now() - 60_000);
    await d.commit('acme', 'api', { branch: 'feat', files: { 'src/api.txt': 'v2\n' }, message: 'api v2' });
    const target = await d.openPull('dev', 'acme', 'api', { head: 'feat', title: 'API v2' });
    await d.mergePull('dev', 'acme', 'api', target, 'merge');
    await d.commit('acme', 'web', { branch: 'feat', files: { 'src/web.txt': 'v2\n' }, message: 'web v2' });
    const dependent = await d.openPull('dev', 'acme', 'web', { head: 'feat', title: 'Web uses API v2', body: `Depends-On: acme/api#${target}` });
    await d.mergePull('dev', 'acme', 'web', dependent, 'squash');

    const facts = await gatherPullFacts(port, { targets: [`acme/api#${target}`], repos: ['acme/api', 'acme/web', 'acme/schema'], since });
    expect(facts.pulls.map((p) => [p.repo, p.number, p.merged, p.files])).toEqual([
      ['acme/api', target, true, ['src/api.txt']],
      ['acme/web', dependent, true, ['src/web.txt']],
    ]);
    expect(facts.pulls[0].mergeCommitParents).toBe(2);

    const config = await loadConfiguration(port, { org: 'acme', repos: ['acme/api', 'acme/web'] });
    const contracts = new Map([...config.contracts].map(([repo, c]) => [repo, c.contract!]));
    const result = planRollback({ targets: [`acme/api#${target}`], map: config.map.map!, contracts, pulls: facts.pulls, commits: facts.commits, now: new Date() });
    expect(result.errors).toEqual([]);
    expect(result.plan!.waves.map((w) => w.steps.map((s) => s.key))).toEqual([['acme/web:web'], ['acme/api:api']]);
    expect(result.plan!.waves[1].steps[0]).toMatchObject({ mergeMethod: 'squash', waitForChecks: ['ci', 'e2e'], reverts: [{ mainline: 1, source: `acme/api#${target}` }] });
  });
});
