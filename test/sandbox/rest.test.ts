import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

describe('REST endpoints', () => {
  let sb: TestSandbox;
  let w: World;
  const o = { owner: 'acme', repo: 'web' };
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb);
  });
  afterAll(() => sb.close());

  it('paginates with Link headers (per_page default 30, max 100) and Octokit follows them', async () => {
    const n = await sb.driver.createIssue('alice', 'acme', 'web', { title: 'many comments' });
    for (let i = 0; i < 65; i++) await sb.driver.comment('alice', 'acme', 'web', n, `comment ${i}`);
    const first = await w.app.rest.issues.listComments({ ...o, issue_number: n });
    expect(first.data).toHaveLength(30);
    expect(first.headers.link).toMatch(/<[^>]+page=2[^>]*>; rel="next"/);
    expect(first.headers.link).toMatch(/page=3[^>]*>; rel="last"/);
    const big = await w.app.rest.issues.listComments({ ...o, issue_number: n, per_page: 500 });
    expect(big.data).toHaveLength(65);
    const all = await w.app.paginate(w.app.rest.issues.listComments, { ...o, issue_number: n, per_page: 20 });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 65 }, (_, i) => `comment ${i}`));
    expect(first.headers['x-ratelimit-limit']).toBe('5000');
    expect(Number(first.headers['x-ratelimit-remaining'])).toBeLessThan(5000);
    expect(first.headers['x-ratelimit-resource']).toBe('core');
  });

  it('serves contents as base64 JSON (wrapped at 60), raw text, and directories', async () => {
    await sb.driver.commit('acme', 'web', { branch: 'main', files: { '.github/unwind.yml': `${'x'.repeat(100)}\n` }, message: 'config', author: 'bob' });
    const json = await w.app.rest.repos.getContent({ ...o, path: '.github/unwind.yml' });
    const file = json.data as { type: string; encoding: string; content: string; sha: string };
    expect(file.type).toBe('file');
    expect(file.content.split('\n')[0]).toHaveLength(60);
    expect(Buffer.from(file.content, 'base64').toString()).toBe(`${'x'.repeat(100)}\n`);
    const raw = await w.app.request('GET /repos/{owner}/{repo}/contents/{path}', { ...o, path: '.github/unwind.yml', mediaType: { format: 'raw' } });
    expect(raw.data).toBe(`${'x'.repeat(100)}\n`);
    const dir = await w.app.rest.repos.getContent({ ...o, path: 'src' });
    expect((dir.data as Array<{ name: string }>).map((e) => e.name)).toEqual(['app.txt']);
    const root = await w.app.rest.repos.getContent({ ...o, path: '' });
    expect((root.data as Array<{ name: string; type: string }>).map((e) => `${e.type}:${e.name}`)).toEqual(expect.arrayContaining(['dir:.github', 'dir:src']));
    const missing = await w.app.rest.repos.getContent({ ...o, path: 'nope.txt' }).catch((e: { status: number }) => e.status);
    expect(missing).toBe(404);
  });

  it('lists and compares commits, and reads branches and refs', async () => {
    const base = (await w.app.rest.repos.getBranch({ ...o, branch: 'main' })).data.commit.sha;
    const a = await sb.driver.commit('acme', 'web', { branch: 'topic/x', files: { 't.txt': '1\n' }, message: 'one', author: 'alice' });
    const b = await sb.driver.commit('acme', 'web', { branch: 'topic/x', files: { 't.txt': '2\n' }, message: 'two', author: 'alice' });
    const list = await w.app.rest.repos.listCommits({ ...o, sha: 'topic/x', per_page: 2 });
    expect(list.data.map((c) => c.sha)).toEqual([b, a]);
    expect(list.data[0].author?.login).toBe('alice');
    expect(list.headers.link).toContain('rel="next"');
    const cmp = await w.app.rest.repos.compareCommitsWithBasehead({ ...o, basehead: `main...topic/x` });
    expect(cmp.data).toMatchObject({ status: 'ahead', ahead_by: 2, behind_by: 0, total_commits: 2 });
    expect(cmp.data.merge_base_commit.sha).toBe(base);
    await sb.driver.openPull('alice', 'acme', 'web', { head: 'topic/x', title: 'topic' });
    const prCommits = await w.app.rest.pulls.listCommits({ ...o, pull_number: (await w.app.rest.pulls.list({ ...o, head: 'acme:topic/x' })).data[0].number });
    expect(prCommits.data.map((c) => c.sha)).toEqual([a, b]);
    const commit = await w.app.rest.repos.getCommit({ ...o, ref: b });
    expect(commit.data.parents.map((p) => p.sha)).toEqual([a]);
    const ref = await w.app.rest.git.getRef({ ...o, ref: 'heads/topic/x' });
    expect(ref.data.object.sha).toBe(b);
    const status = await w.app.rest.repos.getCombinedStatusForRef({ ...o, ref: 'topic/x' });
    expect(status.data).toMatchObject({ state: 'pending', total_count: 0, sha: b });
    await w.app.rest.git.createRef({ ...o, ref: 'refs/heads/copy', sha: a });
    const dup = await w.app.rest.git.createRef({ ...o, ref: 'refs/heads/copy', sha: a }).catch((e: { status: number; response: { data: { message: string } } }) => [e.status, e.response.data.message]);
    expect(dup).toEqual([422, 'Reference already exists']);
    await w.app.rest.git.updateRef({ ...o, ref: 'heads/copy', sha: b });
    await w.app.rest.git.deleteRef({ ...o, ref: 'heads/copy' });
    const gone = await w.app.rest.git.deleteRef({ ...o, ref: 'heads/copy' }).catch((e: { status: number; response: { data: { message: string } } }) => [e.status, e.response.data.message]);
    expect(gone).toEqual([422, 'Reference does not exist']);
    const branches = await w.app.rest.repos.listBranches(o);
    expect(branches.data.map((x) => x.name)).toContain('topic/x');
  });

  it('creates, lists, labels and closes issues; comments, edits and reacts', async () => {
    const created = await w.app.rest.issues.create({ ...o, title: 'Rollback ledger', body: 'entries', labels: ['unwind-ledger'] });
    expect(created.data.user?.login).toBe(`${sb.app.slug}[bot]`);
    expect(created.data.performed_via_github_app?.slug).toBe(sb.app.slug);
    await sb.driver.createIssue('alice', 'acme', 'web', { title: 'unrelated' });
    const labelled = await w.app.rest.issues.listForRepo({ ...o, labels: 'unwind-ledger' });
    expect(labelled.data.map((i) => i.number)).toEqual([created.data.number]);
    const byAlice = await w.app.rest.issues.listForRepo({ ...o, creator: 'alice' });
    expect(byAlice.data.every((i) => i.user?.login === 'alice')).toBe(true);
    await w.app.rest.issues.addLabels({ ...o, issue_number: created.data.number, labels: ['incident'] });
    const got = await w.app.rest.issues.get({ ...o, issue_number: created.data.number });
    expect(got.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['unwind-ledger', 'incident']);
    const c = await w.app.rest.issues.createComment({ ...o, issue_number: created.data.number, body: 'entry 1' });
    const edited = await w.app.rest.issues.updateComment({ ...o, comment_id: c.data.id, body: 'entry 1 (edited)' });
    expect(edited.data.body).toBe('entry 1 (edited)');
    const r1 = await w.app.rest.reactions.createForIssueComment({ ...o, comment_id: c.data.id, content: 'eyes' });
    const r2 = await w.app.rest.reactions.createForIssueComment({ ...o, comment_id: c.data.id, content: 'eyes' });
    expect([r1.status, r2.status]).toEqual([201, 200]);
    const other = await sb.driver.comment('alice', 'acme', 'web', created.data.number, 'by alice');
    const notMine = await w.app.rest.issues.updateComment({ ...o, comment_id: other, body: 'hijack' }).catch((e: { status: number }) => e.status);
    expect(notMine).toBe(404);
    await w.app.rest.issues.deleteComment({ ...o, comment_id: c.data.id });
    expect(sb.driver.listComments('acme', 'web', created.data.number).map((x) => x.body)).toEqual(['by alice']);
    const closed = await w.app.rest.issues.update({ ...o, issue_number: created.data.number, state: 'closed' });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'completed' });
  });

  it('answers collaborator permission, team membership and users', async () => {
    await sb.driver.createTeam('acme', 'sre', ['alice'], ['bob']);
    const m = await w.app.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'bob' });
    expect(m.data).toMatchObject({ state: 'active', role: 'maintainer' });
    const none = await w.app.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'nobody' }).catch((e: { status: number }) => e.status);
    expect(none).toBe(404);
    const perm = await w.app.rest.repos.getCollaboratorPermissionLevel({ ...o, username: 'bob' });
    expect(perm.data).toMatchObject({ permission: 'admin', role_name: 'admin' });
    const stranger = await sb.driver.createUser('stranger');
    const p404 = await w.app.rest.repos.getCollaboratorPermissionLevel({ ...o, username: stranger.login }).catch((e: { status: number }) => e.status);
    expect(p404).toBe(404);
    const u = await w.app.rest.users.getByUsername({ username: 'alice' });
    expect(u.data).toMatchObject({ login: 'alice', type: 'User', name: 'Alice' });
  });

  it('answers unknown endpoints with a GitHub 404 and records them as violations', async () => {
    const lone = await startTestSandbox();
    try {
      const res = await fetch(`${lone.baseUrl}/repos/acme/web/deployments`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
      expect(lone.violations().map((v) => v.kind)).toEqual(['unknown-endpoint']);
      const bad = await fetch(`${lone.baseUrl}/app`, { method: 'GET', headers: { authorization: 'Basic !!!' } });
      expect(bad.status).toBe(401);
      const junk = await fetch(`${lone.baseUrl}/repos/acme/web/pulls`, { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } });
      expect(junk.status).toBe(400);
      expect(((await junk.json()) as { message: string }).message).toBe('Problems parsing JSON');
    } finally {
      await lone.discard();
    }
  });

  it('flags contract violations in what a client sends (strict mode)', async () => {
    const lone = await startTestSandbox();
    try {
      await lone.driver.createOrg('acme');
      await lone.driver.createRepo('acme', 'web');
      const anon = new Octokit({ baseUrl: lone.baseUrl, log: quiet });
      // a request without the required `base` (sent raw, as a buggy client would)
      await anon.request({ method: 'POST', url: '/repos/acme/web/pulls', head: 'x', title: 't' }).catch(() => undefined);
      expect(lone.violations().some((v) => v.kind === 'request' && /base/.test(v.message))).toBe(true);
    } finally {
      await lone.discard();
    }
  });
});
