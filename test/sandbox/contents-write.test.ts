import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { git } from './support/git-cli.ts';
import { failure, outcome } from './support/http-outcome.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('Contents API writes (PUT/DELETE /repos/{owner}/{repo}/contents/{path})', () => {
  let sb: TestSandbox;
  let w: World;
  let rx: WebhookReceiver;
  const o = { owner: 'acme', repo: 'web' };
  const path = 'registry/services.json';
  beforeAll(async () => {
    sb = await startTestSandbox();
    rx = await startWebhookReceiver(sb.app.webhookSecret);
    w = await setupWorld(sb);
    sb.setWebhookUrl(rx.url);
    const main = (await w.app.rest.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha;
    await w.app.rest.git.createRef({ ...o, ref: 'refs/heads/registry', sha: main });
  });
  afterAll(async () => {
    await sb.close();
    await rx.close();
  });

  const head = async (branch: string): Promise<string> => (await w.app.rest.git.getRef({ ...o, ref: `heads/${branch}` })).data.object.sha;
  const put = (p: { content: string; message: string; sha?: string; branch?: string; path?: string }) =>
    w.app.rest.repos.createOrUpdateFileContents({ ...o, path: p.path ?? path, branch: p.branch ?? 'registry', message: p.message, content: b64(p.content), ...(p.sha ? { sha: p.sha } : {}) });

  it('creates (201) then updates (200) a file on a non-default branch with one-parent commits by the App\'s bot', async () => {
    const before = await head('registry');
    const created = await put({ content: '{"v":1}\n', message: 'registry: v1' });
    expect(created.status).toBe(201);
    expect(created.data.content).toMatchObject({ name: 'services.json', path, type: 'file', size: 8 });
    expect(created.data.commit.parents?.map((p) => p.sha)).toEqual([before]);
    expect(created.data.commit.message).toBe('registry: v1');
    const bot = `${sb.app.slug}[bot]`;
    expect(created.data.commit.committer).toMatchObject({ name: bot });
    expect(created.data.commit.committer?.email).toMatch(new RegExp(`^\\d+\\+${sb.app.slug}\\[bot\\]@users\\.noreply\\.github\\.com$`));
    expect(created.data.commit.author).toMatchObject({ name: bot, email: created.data.commit.committer?.email });
    expect(await head('registry')).toBe(created.data.commit.sha);

    const read = await w.app.rest.repos.getContent({ ...o, path, ref: 'registry' });
    expect((read.data as { sha: string }).sha).toBe(created.data.content?.sha);
    expect((await outcome(w.app.rest.repos.getContent({ ...o, path }))).status).toBe(404); // not on main

    const updated = await put({ content: '{"v":2}\n', message: 'registry: v2', sha: created.data.content?.sha });
    expect(updated.status).toBe(200);
    expect(updated.data.commit.parents?.map((p) => p.sha)).toEqual([created.data.commit.sha]);
    const raw = await w.app.request('GET /repos/{owner}/{repo}/contents/{path}', { ...o, path, ref: 'registry', mediaType: { format: 'raw' } });
    expect(raw.data).toBe('{"v":2}\n');

    const log = await git(['--git-dir', sb.driver.repoPath('acme', 'web'), 'log', '--format=%H %P|%s|%an|%cn', 'registry', '-2']);
    expect(log.stdout.trim().split('\n')).toEqual([
      `${updated.data.commit.sha} ${created.data.commit.sha}|registry: v2|${bot}|${bot}`,
      `${created.data.commit.sha} ${before}|registry: v1|${bot}|${bot}`,
    ]);
  });

  it('answers a stale sha with 409, a missing sha with 422 and an unknown branch with 404, in GitHub\'s words', async () => {
    const current = (await w.app.rest.repos.getContent({ ...o, path, ref: 'registry' })).data as { sha: string };
    const stale = 'a'.repeat(40);
    const conflict = await failure(put({ content: 'x', message: 'stale', sha: stale }));
    expect([conflict.status, conflict.message]).toEqual([409, `${path} does not match ${stale}`]);
    const missing = await failure(put({ content: 'x', message: 'no sha' }));
    expect([missing.status, missing.message]).toEqual([422, 'Invalid request.\n\n"sha" wasn\'t supplied.']);
    const nobranch = await failure(put({ content: 'x', message: 'nowhere', sha: stale, branch: 'nope' }));
    expect([nobranch.status, nobranch.message]).toEqual([404, 'Branch nope not found']);
    const bad64 = await failure(w.app.rest.repos.createOrUpdateFileContents({ ...o, path, branch: 'registry', message: 'bad', content: 'not base64!', sha: current.sha }));
    expect([bad64.status, bad64.message]).toEqual([422, 'content is not valid Base64']);
    const intoFile = await failure(put({ path: `${path}/x`, content: 'x', message: 'under a file' }));
    expect(intoFile.status).toBe(422);
    expect(((await w.app.rest.repos.getContent({ ...o, path, ref: 'registry' })).data as { sha: string }).sha).toBe(current.sha);
  });

  it('lets exactly one of two concurrent updates from the same sha win; the other gets 409', async () => {
    const current = (await w.app.rest.repos.getContent({ ...o, path, ref: 'registry' })).data as { sha: string };
    const before = await head('registry');
    const results = await Promise.all([
      outcome(put({ content: '{"v":"a"}\n', message: 'writer a', sha: current.sha })),
      outcome(put({ content: '{"v":"b"}\n', message: 'writer b', sha: current.sha })),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const lost = results.find((r) => r.status === 409);
    // Either the loser read the file after the winner wrote it, or both read the same head and its CAS failed.
    expect(lost?.message).toMatch(new RegExp(`^(${path} does not match ${current.sha}|is at [0-9a-f]{40} but expected ${before})$`));
    const after = await head('registry');
    const c = await w.app.rest.repos.getCommit({ ...o, ref: after });
    expect(c.data.parents.map((p) => p.sha)).toEqual([before]);
    expect(['writer a', 'writer b']).toContain(c.data.commit.message);

    // Different files race too: GitHub does not rebase a write onto a head that moved after it was read.
    const base = await head('registry');
    const racers = await Promise.all(['x', 'y'].map((n) => outcome(put({ path: `registry/${n}.json`, content: `${n}\n`, message: `add ${n}` }))));
    expect(racers.some((r) => r.status === 201)).toBe(true);
    for (const r of racers.filter((x) => x.status !== 201)) expect([r.status, r.message]).toEqual([409, expect.stringMatching(new RegExp(`^is at [0-9a-f]{40} but expected ${base}$`))]);
  });

  it('creates the first commit of a repository that has no branch yet', async () => {
    await sb.driver.createRepo('acme', 'blank');
    await git(['--git-dir', sb.driver.repoPath('acme', 'blank'), 'update-ref', '-d', 'refs/heads/main']);
    const elsewhere = await failure(w.app.rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'blank', path: 'a.txt', message: 'first', content: b64('a\n'), branch: 'dev' }));
    expect([elsewhere.status, elsewhere.message]).toEqual([404, 'Branch dev not found']);
    const first = await w.app.rest.repos.createOrUpdateFileContents({ owner: 'acme', repo: 'blank', path: 'a.txt', message: 'first', content: b64('a\n') });
    expect(first.status).toBe(201);
    expect(first.data.commit.parents).toEqual([]);
    expect((await w.app.rest.repos.getBranch({ owner: 'acme', repo: 'blank', branch: 'main' })).data.commit.sha).toBe(first.data.commit.sha);
  });

  it('emits the push webhook a git push would, with the bot as pusher', async () => {
    await sb.idle();
    rx.received.length = 0;
    const current = (await w.app.rest.repos.getContent({ ...o, path, ref: 'registry' })).data as { sha: string };
    const before = await head('registry');
    const done = await put({ content: '{"v":3}\n', message: 'registry: v3', sha: current.sha });
    await sb.idle();
    const push = await rx.waitFor((r) => r.event === 'push' && r.payload.after === done.data.commit.sha);
    expect(push.signatureValid).toBe(true);
    expect(push.payload).toMatchObject({
      ref: 'refs/heads/registry',
      before,
      after: done.data.commit.sha,
      created: false,
      deleted: false,
      forced: false,
      pusher: { name: `${sb.app.slug}[bot]` },
      head_commit: { id: done.data.commit.sha, message: 'registry: v3', modified: [path], added: [], removed: [] },
    });
  });

  it('deletes with the current sha (200, content null); a stale sha is 409, an absent file 404', async () => {
    const current = (await w.app.rest.repos.getContent({ ...o, path, ref: 'registry' })).data as { sha: string };
    const stale = await failure(w.app.rest.repos.deleteFile({ ...o, path, branch: 'registry', message: 'rm', sha: 'b'.repeat(40) }));
    expect([stale.status, stale.message]).toEqual([409, `${path} does not match ${'b'.repeat(40)}`]);
    const before = await head('registry');
    const gone = await w.app.rest.repos.deleteFile({ ...o, path, branch: 'registry', message: 'registry: remove', sha: current.sha });
    expect(gone.status).toBe(200);
    expect(gone.data.content).toBeNull();
    expect(gone.data.commit.parents?.map((p) => p.sha)).toEqual([before]);
    expect((await outcome(w.app.rest.repos.getContent({ ...o, path, ref: 'registry' }))).status).toBe(404);
    const absent = await failure(w.app.rest.repos.deleteFile({ ...o, path, branch: 'registry', message: 'rm again', sha: current.sha }));
    expect(absent.status).toBe(404);
    // and it can be created again (201) without a sha
    expect((await put({ content: '{"v":4}\n', message: 'registry: again' })).status).toBe(201);
  });

  it('writes to the default branch when none is given, and refuses protected branches and read-only tokens', async () => {
    const made = await w.app.rest.repos.createOrUpdateFileContents({ ...o, path: 'notes/a.txt', message: 'notes', content: b64('a\n') });
    expect(made.status).toBe(201);
    expect(await head('main')).toBe(made.data.commit.sha);

    await sb.driver.setProtection('acme', 'web', 'main', { requiredChecks: ['ci'] });
    const prot = await failure(w.app.rest.repos.createOrUpdateFileContents({ ...o, path: 'notes/b.txt', message: 'notes', content: b64('b\n') }));
    expect([prot.status, prot.message]).toEqual([409, 'Could not update file: Required status check "ci" is expected. Changes must be made through a pull request.']);
    await sb.driver.setProtection('acme', 'web', 'main', null);

    const { createAppAuth } = await import('@octokit/auth-app');
    const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl, log: quiet }).request });
    const ro = await auth({ type: 'installation', installationId: w.inst, permissions: { contents: 'read' }, refresh: true });
    const readOnly = new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: ro.token });
    const denied = await failure(readOnly.rest.repos.createOrUpdateFileContents({ ...o, path: 'notes/c.txt', message: 'notes', content: b64('c\n') }));
    expect([denied.status, denied.message]).toEqual([403, 'Resource not accessible by integration']);

    const byAlice = await w.asAlice.rest.repos.createOrUpdateFileContents({ ...o, path: 'notes/c.txt', message: 'by alice', content: b64('c\n') });
    expect(byAlice.data.commit.committer).toMatchObject({ name: 'Alice' });
    const custom = await w.app.rest.repos.createOrUpdateFileContents({
      ...o, path: 'notes/d.txt', message: 'custom', content: b64('d\n'),
      committer: { name: 'Release Bot', email: 'release@example.com' }, author: { name: 'Ann', email: 'ann@example.com', date: '2024-01-02T03:04:05Z' },
    });
    expect(custom.data.commit.committer).toMatchObject({ name: 'Release Bot', email: 'release@example.com' });
    expect(custom.data.commit.author).toMatchObject({ name: 'Ann', email: 'ann@example.com', date: '2024-01-02T03:04:05Z' });
  });
});
