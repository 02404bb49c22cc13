/** driver.createRepos: many real repositories at once (seeding big orgs for benchmarks), each cloneable, listed and installable like one made by createRepo. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authedUrl, git } from './support/git-cli.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { setupWorld, type World } from './support/world.ts';

let sb: TestSandbox;
let world: World;
const tmp = mkdtempSync(join(tmpdir(), 'unwind-repos-'));

beforeAll(async () => {
  sb = await startTestSandbox();
  world = await setupWorld(sb, ['web']);
}, 300_000);
afterAll(async () => {
  sb.expectNoViolations();
  await sb.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('driver.createRepos', { timeout: 300_000 }, () => {
  it('creates real repositories sharing one initial commit, listed by the API and cloneable; each can move on its own', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `bulk-${i}`);
    await sb.driver.createRepos('acme', names, { files: { 'README.md': '# bulk\n' } });
    const listed = await world.app.paginate(world.app.rest.apps.listReposAccessibleToInstallation, { per_page: 100 });
    expect(listed.map((r) => r.name)).toEqual(expect.arrayContaining(names));
    const heads = await Promise.all(['bulk-0', 'bulk-29'].map(async (repo) => (await world.app.rest.repos.getBranch({ owner: 'acme', repo, branch: 'main' })).data.commit.sha));
    expect(heads[0]).toBe(heads[1]);
    await git(['clone', '--quiet', authedUrl(sb.baseUrl, world.alice.token, 'acme', 'bulk-7'), join(tmp, 'bulk-7')]);
    expect(readFileSync(join(tmp, 'bulk-7', 'README.md'), 'utf8')).toBe('# bulk\n');
    // A copy is a repository of its own: a commit to one leaves the others alone.
    const moved = await sb.driver.commit('acme', 'bulk-3', { branch: 'main', files: { 'a.txt': 'a\n' }, message: 'Only here', author: 'alice' });
    expect((await world.app.rest.repos.getBranch({ owner: 'acme', repo: 'bulk-3', branch: 'main' })).data.commit.sha).toBe(moved);
    expect((await world.app.rest.repos.getBranch({ owner: 'acme', repo: 'bulk-4', branch: 'main' })).data.commit.sha).toBe(heads[0]);
  });

  it('refuses, before creating any, a taken name, a duplicate or an invalid name', async () => {
    await expect(sb.driver.createRepos('acme', ['fresh-1', 'web'])).rejects.toThrow(/acme\/web exists/);
    await expect(sb.driver.createRepos('acme', ['fresh-2', 'fresh-2'])).rejects.toThrow(/same name twice/);
    await expect(sb.driver.createRepos('acme', ['fresh-3', '..'])).rejects.toThrow(/invalid repository name/);
    const { data } = await world.app.rest.apps.listReposAccessibleToInstallation({ per_page: 100 });
    expect(data.repositories.map((r) => r.name).filter((n) => n.startsWith('fresh-'))).toEqual([]);
  });
});
