/** Sandbox fixes found while trying the demo (issue 13): dot-named repos over git HTTP, null label descriptions, update-branch's author. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGitUrl } from '../../src/sandbox/git/parse-git-url.ts';
import { authedUrl, git } from './support/git-cli.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { setupWorld, type World } from './support/world.ts';

let sb: TestSandbox;
let world: World;
const tmp = mkdtempSync(join(tmpdir(), 'unwind-dot-'));

beforeAll(async () => {
  sb = await startTestSandbox();
  world = await setupWorld(sb, ['web', '.github']);
}, 600_000);
afterAll(async () => {
  sb.expectNoViolations();
  await sb.close();
  rmSync(tmp, { recursive: true, force: true });
});

// Each case drives a real sandbox: minutes on a loaded machine, not vitest's 60 s default.
describe('sandbox fixes', { timeout: 300_000 }, () => {
  it('serves git over HTTP for a repository whose name starts with a dot, as GitHub does for acme/.github', async () => {
    await git(['clone', '--quiet', authedUrl(sb.baseUrl, world.alice.token, 'acme', '.github'), join(tmp, 'dotgithub')]);
    expect(readFileSync(join(tmp, 'dotgithub', 'README.md'), 'utf8')).toBe('# .github\n');
    expect(parseGitUrl('/acme/.github.git/info/refs', '?service=git-upload-pack')).toMatchObject({ owner: 'acme', repo: '.github', pathInfo: '/acme/.github.git/info/refs' });
    // Never `.` or `..`, and owners (logins) never start with a dot.
    expect(parseGitUrl('/acme/...git/git-upload-pack', '')).toBeNull();
    expect(parseGitUrl('/acme/..git/git-upload-pack', '')).toBeNull();
    expect(parseGitUrl('/.acme/web.git/git-upload-pack', '')).toBeNull();
  });

  it('lists pull requests whose labels have no description without a strict-mode violation (a known deviation of the description)', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'labelled', files: { 'a.txt': 'a\n' }, message: 'a', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'labelled', title: 'Labelled' });
    await world.asAlice.rest.issues.addLabels({ owner: 'acme', repo: 'web', issue_number: n, labels: ['no-description'] });
    const { data: pulls } = await world.asAlice.rest.pulls.list({ owner: 'acme', repo: 'web' });
    expect(pulls.find((p) => p.number === n)?.labels[0]).toMatchObject({ name: 'no-description', description: null });
    expect(sb.violations()).toEqual([]);
  });

  it('writes update-branch merges by the App with a noreply address that has no 0+ id', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'behind', files: { 'b.txt': 'b\n' }, message: 'b', author: 'alice' });
    const n = await sb.driver.openPull('alice', 'acme', 'web', { head: 'behind', title: 'Behind' });
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { 'c.txt': 'c\n' }, message: 'c', author: 'bob' });
    await sb.idle();
    await world.app.rest.pulls.updateBranch({ owner: 'acme', repo: 'web', pull_number: n });
    await sb.idle();
    const { data: pull } = await world.app.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: n });
    const { data: commit } = await world.app.rest.repos.getCommit({ owner: 'acme', repo: 'web', ref: pull.head.sha });
    expect(commit.commit.message).toBe("Merge branch 'main' into behind");
    expect(commit.commit.author?.email).not.toMatch(/^0\+/);
    expect(commit.commit.author?.email).toMatch(/@users\.noreply\.github\.com$/);
  });
});
