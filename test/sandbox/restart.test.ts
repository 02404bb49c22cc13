import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { appOctokit, quiet, setupWorld } from './support/world.ts';

describe('state on disk', () => {
  const opened: TestSandbox[] = [];
  afterAll(() => {
    for (const sb of opened) rmSync(sb.dir, { recursive: true, force: true });
  });

  it('a restarted sandbox on the same dir continues: key, tokens, repos, PRs, comments, counters', async () => {
    const first = await startTestSandbox();
    opened.push(first);
    const w = await setupWorld(first);
    await first.driver.commit('acme', 'web', { branch: 'keep', files: { 'k.txt': 'k\n' }, message: 'keep', author: 'alice' });
    const n = await first.driver.openPull('alice', 'acme', 'web', { head: 'keep', title: 'Keep me' });
    await first.driver.comment('alice', 'acme', 'web', n, 'persisted comment');
    await first.idle();
    const pem = first.app.privateKeyPem;
    const secret = first.app.webhookSecret;
    first.expectNoViolations();
    await first.closeKeepingDir();

    const second = await startTestSandbox({ dir: first.dir });
    try {
      expect(second.app.privateKeyPem).toBe(pem);
      expect(second.app.webhookSecret).toBe(secret);
      expect(second.installationId('acme')).toBe(w.inst);
      const asAlice = new Octokit({ baseUrl: second.baseUrl, auth: w.alice.token, log: quiet });
      expect((await asAlice.rest.users.getAuthenticated()).data.login).toBe('alice');
      const app = appOctokit(second, w.inst);
      const pr = await app.rest.pulls.get({ owner: 'acme', repo: 'web', pull_number: n });
      expect(pr.data.title).toBe('Keep me');
      const comments = await app.rest.issues.listComments({ owner: 'acme', repo: 'web', issue_number: n });
      expect(comments.data.map((c) => c.body)).toEqual(['persisted comment']);
      const next = await second.driver.createIssue('alice', 'acme', 'web', { title: 'after restart' });
      expect(next).toBe(n + 1);
      await second.idle();
      const merged = await app.rest.pulls.merge({ owner: 'acme', repo: 'web', pull_number: n });
      expect(merged.data.merged).toBe(true);
      second.expectNoViolations();
    } finally {
      await second.closeKeepingDir();
    }
  });
});
