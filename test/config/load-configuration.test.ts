import { describe, expect, it } from 'vitest';
import { FakeGitHub } from '../support/fake-github.ts';
import { loadConfiguration } from '../../src/config/load-configuration.ts';
import { loadContract } from '../../src/config/load-contract.ts';
import { defaultContract } from '../../src/config/contract-schema.ts';

const MAP = 'services:\n  api: { repo: acme/api, depends_on: [db] }\n  db: { repo: acme/db }\n';

function org(): FakeGitHub {
  const gh = new FakeGitHub();
  gh.addRepo('acme/.github', { files: { 'unwind/map.yml': MAP, '.github/unwind.yml': 'owners: ["@acme/sre"]\nrevert:\n  merge_method: squash\n  wait_for: [ci]\n' } });
  return gh;
}

describe('loadContract (Probot conventions, default branch only)', () => {
  it('reads the repo file at the default branch head and records the commit SHA', async () => {
    const gh = org();
    gh.addRepo('acme/api', { defaultBranch: 'trunk', files: { '.github/unwind.yml': 'paused: true\n' } });
    const head = await gh.getBranchSha({ owner: 'acme', repo: 'api' }, 'trunk');
    gh.commit('acme/api', { branch: 'feature', files: { '.github/unwind.yml': 'paused: false\n' }, parents: [head!] });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'api' });
    expect(problems).toEqual([]);
    expect(loaded.contract?.paused).toBe(true);
    expect(loaded.commitSha).toBe(head);
    expect(loaded.sources).toEqual([{ repo: 'acme/api', path: '.github/unwind.yml', commitSha: head, blobSha: expect.stringMatching(/^[0-9a-f]{40}$/) }]);
    expect(gh.calls.filter((c) => c.method === 'getFile').every((c) => c.args[2] === head)).toBe(true);
  });

  it('falls back to the org .github repo when the repo has no contract', async () => {
    const gh = org();
    gh.addRepo('acme/db', { files: { 'README.md': 'db' } });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'db' });
    expect(problems).toEqual([]);
    expect(loaded.isDefault).toBe(false);
    expect(loaded.contract?.revert.merge_method).toBe('squash');
    expect(loaded.sources.map((s) => s.repo)).toEqual(['acme/.github']);
  });

  it('uses built-in defaults when neither the repo nor the org has a contract', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'README.md': '' } });
    gh.addRepo('acme/db', { files: { 'README.md': 'db' } });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'db' });
    expect(problems).toEqual([]);
    expect(loaded).toMatchObject({ contract: defaultContract(), isDefault: true, sources: [] });
  });

  it('merges _extends chains: mappings deeply, lists replaced, nearest file wins', async () => {
    const gh = org();
    gh.addRepo('acme/base', { files: { 'conf/unwind.yml': '_extends: .github\nauto_revert:\n  checks: [deploy]\n  max_culprit_age: 2h\n' } });
    gh.addRepo('acme/api', { files: { '.github/unwind.yml': '_extends: base:conf/unwind.yml\nrevert:\n  wait_for: [ci, e2e]\nauto_revert:\n  max_culprit_age: 1h\n' } });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'api' });
    expect(problems).toEqual([]);
    expect(loaded.contract).toMatchObject({
      owners: ['@acme/sre'],
      revert: { merge_method: 'squash', wait_for: ['ci', 'e2e'] },
      auto_revert: { checks: ['deploy'], max_culprit_age: '1h' },
    });
    expect(loaded.sources.map((s) => `${s.repo}:${s.path}`)).toEqual(['acme/api:.github/unwind.yml', 'acme/base:conf/unwind.yml', 'acme/.github:.github/unwind.yml']);
  });

  it('reports an _extends loop at the _extends line', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/a', { files: { '.github/unwind.yml': 'paused: false\n_extends: b\n' } });
    gh.addRepo('acme/b', { files: { '.github/unwind.yml': '_extends: a\n' } });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'a' });
    expect(loaded.contract).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ file: 'acme/b:.github/unwind.yml', line: 1, col: 11, path: '_extends', message: '_extends loops back to acme/a:.github/unwind.yml' })]);
  });

  it('reports an _extends target that does not exist', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/a', { files: { '.github/unwind.yml': '_extends: other/nowhere\n' } });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'a' });
    expect(loaded.contract).toBeNull();
    expect(problems[0]).toMatchObject({ file: 'acme/a:.github/unwind.yml', line: 1, message: '_extends points to other/nowhere:.github/unwind.yml, which does not exist' });
  });

  it('an invalid extended file invalidates the contract and is reported in its own file', async () => {
    const gh = org();
    gh.addRepo('acme/base', { files: { '.github/unwind.yml': 'revert:\n  merge_method: fast-forward\n' } });
    gh.addRepo('acme/api', { files: { '.github/unwind.yml': '_extends: base\n' } });
    const { loaded, problems } = await loadContract(gh, { owner: 'acme', repo: 'api' });
    expect(loaded.contract).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ file: 'acme/base:.github/unwind.yml', line: 2, col: 17, path: 'revert.merge_method' })]);
  });

  it('reports a directory where a contract should be at 1:1, never falling back to defaults', async () => {
    const gh = org();
    gh.addRepo('acme/api', { files: { '.github/unwind.yml/README.md': 'not a contract' } });
    const own = await loadContract(gh, { owner: 'acme', repo: 'api' });
    expect(own.loaded).toMatchObject({ contract: null, isDefault: false });
    expect(own.problems).toEqual([{ file: 'acme/api:.github/unwind.yml', line: 1, col: 1, severity: 'error', path: '', message: '.github/unwind.yml is a directory, expected a YAML file', hint: expect.any(String) }]);

    // The org default and an `_extends` target are read the same way.
    const noDefault = new FakeGitHub();
    noDefault.addRepo('acme/.github', { files: { '.github/unwind.yml/x.yml': '' } });
    noDefault.addRepo('acme/db', { files: { 'README.md': 'db' } });
    noDefault.addRepo('acme/web', { files: { '.github/unwind.yml': '_extends: .github\n' } });
    for (const repo of ['db', 'web']) {
      const r = await loadContract(noDefault, { owner: 'acme', repo });
      expect(r.loaded.contract).toBeNull();
      expect(r.problems).toEqual([expect.objectContaining({ file: 'acme/.github:.github/unwind.yml', line: 1, col: 1, message: '.github/unwind.yml is a directory, expected a YAML file' })]);
    }
  });

  it('reports a repository that cannot be read', async () => {
    const { loaded, problems } = await loadContract(new FakeGitHub(), { owner: 'acme', repo: 'ghost' });
    expect(loaded.contract).toBeNull();
    expect(problems[0].message).toBe('repository acme/ghost does not exist or Unwind cannot read it');
  });
});

describe('loadConfiguration', () => {
  it('loads the map and every contract, with cross-file problems', async () => {
    const gh = org();
    gh.addRepo('acme/api', { files: { '.github/unwind.yml': 'service: api\n' } });
    gh.addRepo('acme/db', { files: { '.github/unwind.yml': '\nservice: api\n' } });
    gh.addRepo('acme/web', { files: { '.github/unwind.yml': 'service: wbe\n' } });
    const mapSha = await gh.getBranchSha({ owner: 'acme', repo: '.github' }, 'main');
    const result = await loadConfiguration(gh, { org: 'acme', repos: ['acme/api', 'acme/db', 'acme/web'] });
    expect(result.map.map?.services.api.depends_on).toEqual(['db']);
    expect(result.map.source).toMatchObject({ repo: 'acme/.github', path: 'unwind/map.yml', commitSha: mapSha });
    expect([...result.contracts.keys()]).toEqual(['acme/api', 'acme/db', 'acme/web']);
    expect(result.problems).toEqual([
      expect.objectContaining({ file: 'acme/db:.github/unwind.yml', line: 2, col: 10, severity: 'error', message: 'service "api" is mapped to two repos: acme/api (dependency map) and acme/db (this contract)' }),
      expect.objectContaining({ file: 'acme/web:.github/unwind.yml', line: 1, col: 10, severity: 'warning', message: 'service "wbe" of acme/web is not in the dependency map' }),
    ]);
  });

  it('reads a contract service named like what every object has (toString, constructor, __proto__) as an unknown service', async () => {
    const gh = org();
    const names = ['toString', 'constructor', '__proto__'];
    names.forEach((name, i) => gh.addRepo(`acme/r${i}`, { files: { '.github/unwind.yml': `service: ${name}\n` } }));
    const result = await loadConfiguration(gh, { org: 'acme', repos: names.map((_, i) => `acme/r${i}`) });
    expect(result.problems.map((p) => [p.severity, p.message])).toEqual(names.map((name, i) => ['warning', `service "${name}" of acme/r${i} is not in the dependency map`]));
  });

  it('works without an org config repo: empty map, defaults, one warning', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/api', { files: { 'x': '' } });
    const result = await loadConfiguration(gh, { org: 'acme', repos: ['acme/api'] });
    expect(result.map.map).toEqual({ services: {}, groups: {}, paused: false });
    expect(result.contracts.get('acme/api')?.contract).toEqual(defaultContract());
    expect(result.problems.map((p) => p.severity)).toEqual(['warning']);
  });

  it('honours a custom org config repo', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/platform', { files: { 'unwind/map.yml': MAP, '.github/unwind.yml': 'paused: true\n' } });
    gh.addRepo('acme/api', { files: { 'x': '' } });
    const result = await loadConfiguration(gh, { org: 'acme', repos: ['acme/api'], configRepo: 'platform' });
    expect(result.problems).toEqual([]);
    expect(result.contracts.get('acme/api')?.contract?.paused).toBe(true);
    expect(Object.keys(result.map.map!.services)).toEqual(['api', 'db']);
  });

  it('reports a directory where the map should be as an error, not as "no map"', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'unwind/map.yml/services.yml': MAP } });
    const result = await loadConfiguration(gh, { org: 'acme', repos: [] });
    expect(result.map.map).toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ file: 'acme/.github:unwind/map.yml', line: 1, col: 1, severity: 'error', message: 'unwind/map.yml is a directory, expected a YAML file' })]);
  });

  it('reports every problem of a broken map with its location in the org repo', async () => {
    const gh = new FakeGitHub();
    gh.addRepo('acme/.github', { files: { 'unwind/map.yml': 'services:\n  a: { repo: acme/a, depends_on: [b] }\n  b: { repo: acme/b, depends_on: [a] }\n' } });
    const result = await loadConfiguration(gh, { org: 'acme', repos: [] });
    expect(result.map.map).toBeNull();
    expect(result.problems).toEqual([expect.objectContaining({ file: 'acme/.github:unwind/map.yml', line: 2, message: 'dependency cycle: a → b → a' })]);
  });
});
