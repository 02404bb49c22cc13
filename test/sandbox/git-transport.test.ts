import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { authedUrl, git } from './support/git-cli.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

describe('git smart HTTP with installation tokens', () => {
  let sb: TestSandbox;
  let w: World;
  let token: string;
  let work: string;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
    const { data } = await w.app.rest.apps.createInstallationAccessToken({ installation_id: w.inst }).catch(async () => {
      // the installation Octokit cannot call JWT endpoints; mint through a JWT client
      const { createAppAuth } = await import('@octokit/auth-app');
      const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl, log: quiet }).request });
      const t = await auth({ type: 'installation', installationId: w.inst });
      return { data: { token: t.token } };
    });
    token = data.token;
    work = mkdtempSync(join(tmpdir(), 'unwind-sbx-git-'));
  });
  afterAll(async () => {
    await sb.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('clones with git, pushes a branch, and the push produces webhooks-equivalent state (PR synchronize)', async () => {
    const dir = join(work, 'cli');
    await git(['clone', '--quiet', authedUrl(sb.baseUrl, token, 'acme', 'web'), dir]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toBe('# web\n');
    await git(['checkout', '-q', '-b', 'fix'], dir);
    writeFileSync(join(dir, 'fix.txt'), 'fixed\n');
    await git(['add', 'fix.txt'], dir);
    await git(['commit', '-q', '-m', 'fix it'], dir);
    await git(['push', '-q', 'origin', 'fix'], dir);
    const pr = await w.app.rest.pulls.create({ owner: 'acme', repo: 'web', head: 'fix', base: 'main', title: 'Fix' });
    writeFileSync(join(dir, 'fix.txt'), 'fixed twice\n');
    await git(['commit', '-q', '-am', 'fix again'], dir);
    await git(['push', '-q', 'origin', 'fix'], dir);
    const head = (await git(['rev-parse', 'HEAD'], dir)).stdout.trim();
    await sb.idle();
    const got = await w.app.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: pr.data.number });
    expect(got.data.head.sha).toBe(head);
    expect(got.data.commits).toBe(2);
    const pushes = sb.deliveries().filter((d) => d.event === 'push');
    expect(pushes.length).toBeGreaterThanOrEqual(2);
    expect(sb.deliveries().some((d) => d.event === 'pull_request' && d.action === 'synchronize')).toBe(true);
  });

  it('works with simple-git and http.extraHeader auth (no credentials in the URL)', async () => {
    const dir = join(work, 'sg');
    const header = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    await simpleGit({ config: [`http.extraHeader=${header}`] }).clone(`${sb.baseUrl}/acme/web.git`, dir);
    const repo = simpleGit({ baseDir: dir, config: [`http.extraHeader=${header}`, 'user.name=Unwind', 'user.email=unwind@example.com'] });
    await repo.checkoutLocalBranch('revert-1');
    writeFileSync(join(dir, 'README.md'), '# web (reverted)\n');
    await repo.add('README.md').commit('Revert something');
    await repo.push('origin', 'revert-1');
    const branch = await w.app.rest.repos.getBranch({ owner: 'acme', repo: 'web', branch: 'revert-1' });
    expect(branch.data.commit.commit.message).toBe('Revert something');
    expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).not.toContain(token);
  });

  it('refuses bad tokens, read-only pushes and direct pushes to protected branches', async () => {
    // public repos are cloneable anonymously (git only sends credentials after a 401), so use a private one
    await sb.driver.createRepo('acme', 'secret', { private: true });
    const bad = await git(['clone', '--quiet', authedUrl(sb.baseUrl, 'ghs_wrong', 'acme', 'secret'), join(work, 'bad')]).catch((e: Error) => e);
    expect(String(bad)).toMatch(/Authentication failed/);
    const anon = await git(['ls-remote', `${sb.baseUrl}/acme/secret.git`]).catch((e: Error) => e);
    expect(String(anon)).toMatch(/Authentication failed|could not read Username|terminal prompts disabled/);
    await git(['ls-remote', authedUrl(sb.baseUrl, token, 'acme', 'secret')]);
    const { createAppAuth } = await import('@octokit/auth-app');
    const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl, log: quiet }).request });
    const ro = await auth({ type: 'installation', installationId: w.inst, permissions: { contents: 'read' }, refresh: true });
    const dir = join(work, 'ro');
    await git(['clone', '--quiet', authedUrl(sb.baseUrl, ro.token, 'acme', 'web'), dir]);
    await git(['commit', '-q', '--allow-empty', '-m', 'nope'], dir);
    const denied = await git(['push', '-q', 'origin', 'HEAD:ro-branch'], dir).catch((e: Error) => e);
    expect(String(denied)).toMatch(/Permission to acme\/web\.git denied|403/);
    await sb.driver.setProtection('acme', 'web', 'main', { requiredChecks: ['ci'] });
    await git(['remote', 'set-url', 'origin', authedUrl(sb.baseUrl, token, 'acme', 'web')], dir);
    const prot = await git(['push', '-q', 'origin', 'HEAD:main'], dir).catch((e: Error) => e);
    expect(String(prot)).toContain('GH006: Protected branch update failed for refs/heads/main.');
    await sb.driver.setProtection('acme', 'web', 'main', null);
    const missing = await git(['ls-remote', authedUrl(sb.baseUrl, token, 'acme', 'nope')]).catch((e: Error) => e);
    expect(String(missing)).toMatch(/not found|404/i);
  });
});
