import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BareRepo } from '../../../src/sandbox/git/bare-repo.ts';
import { READ_TOKEN, WRITE_TOKEN, git, mustGit, startGitServer, tempDir } from './git-server-fixture.ts';

const ZERO = '0'.repeat(40);
const alice = { name: 'Alice', email: 'alice@example.com' };

let repos: { dir: string; remove: () => Promise<void> };
let work: { dir: string; remove: () => Promise<void> };
let server: Awaited<ReturnType<typeof startGitServer>>;
let hello: BareRepo;
let n = 0;

const url = (repo: string, token: string | null = WRITE_TOKEN) =>
  `${server.base.replace('http://', token === null ? 'http://' : `http://x-access-token:${token}@`)}/octo/${repo}.git`;
const fresh = () => path.join(work.dir, `c${n++}`);

beforeAll(async () => {
  repos = await tempDir('unwind-git-repos-');
  work = await tempDir('unwind-git-work-');
  server = await startGitServer({ reposRoot: repos.dir, protectedRefs: { 'octo/guarded': ['refs/heads/main'] } });
  hello = await BareRepo.init(path.join(repos.dir, 'octo', 'hello.git'), 'main');
  await hello.commitFiles({ branch: 'main', files: { 'README.md': 'hello\n' }, message: 'init', author: alice });
  await hello.updateRef('refs/heads/old', (await hello.resolve('main'))!, null);
});
afterAll(async () => {
  await server.close();
  await repos.remove();
  await work.remove();
});
beforeEach(() => {
  server.requests.length = 0;
  server.pushes.length = 0;
});

describe('git smart HTTP through the handler', () => {
  it('answers the first credential-less request with a Basic challenge, then clones over protocol v2', async () => {
    const dir = fresh();
    await mustGit(work.dir, ['clone', '-q', url('hello'), dir]);
    expect(await readFile(path.join(dir, 'README.md'), 'utf8')).toBe('hello\n');
    const [first, second] = server.requests;
    expect(first).toMatchObject({ auth: false, status: 401 });
    expect(second).toMatchObject({ auth: true, status: 200 });
    const advert = server.requests.find((r) => r.url.includes('/info/refs?service=git-upload-pack') && r.status === 200);
    expect(advert?.gitProtocol).toBe('version=2');
    expect(advert?.bodyStart).toContain('version 2'); // the backend answered in protocol v2
    expect(server.requests.some((r) => r.method === 'POST' && r.url.endsWith('/git-upload-pack') && r.status === 200)).toBe(true);
  });

  it('reports every ref a multi-ref push created, moved and deleted to onPush before the push returns', async () => {
    const dir = fresh();
    await mustGit(work.dir, ['clone', '-q', url('hello'), dir]);
    const before = await hello.resolve('main');
    await writeFile(path.join(dir, 'a.txt'), 'a\n');
    await mustGit(dir, ['add', '.']);
    await mustGit(dir, ['commit', '-qm', 'add a']);
    const head = await mustGit(dir, ['rev-parse', 'HEAD']);
    await mustGit(dir, ['push', '-q', 'origin', 'main', 'main:refs/heads/topic', ':refs/heads/old']);
    expect(server.pushes).toEqual([
      {
        owner: 'octo',
        repo: 'hello',
        token: WRITE_TOKEN,
        updates: [
          { ref: 'refs/heads/main', before, after: head },
          { ref: 'refs/heads/old', before, after: ZERO },
          { ref: 'refs/heads/topic', before: ZERO, after: head },
        ],
      },
    ]);
    expect(await hello.resolve('main')).toBe(head);
  });

  it('attributes each of several concurrent pushes (and a server-side commit) to exactly its own ref', async () => {
    const clients = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const dir = fresh();
        await mustGit(work.dir, ['clone', '-q', url('hello'), dir]);
        await mustGit(dir, ['commit', '-q', '--allow-empty', '-m', `c${i}`]);
        return { dir, ref: `refs/heads/par${i}`, sha: await mustGit(dir, ['rev-parse', 'HEAD']) };
      }),
    );
    server.pushes.length = 0;
    const [serverSide] = await Promise.all([
      hello.commitFiles({ branch: 'server-side', parents: ['main'], files: { 's.txt': 's' }, message: 's', author: alice }),
      ...clients.map((c) => mustGit(c.dir, ['push', '-q', 'origin', `HEAD:${c.ref}`])),
    ]);
    const seen = server.pushes.map((p) => p.updates).sort((a, b) => a[0].ref.localeCompare(b[0].ref));
    expect(seen).toEqual(clients.map((c) => [{ ref: c.ref, before: ZERO, after: c.sha }]));
    expect(await hello.resolve('server-side')).toBe(serverSide);
  });

  it('fails with "Authentication failed" for a bad token', async () => {
    const r = await git(work.dir, ['clone', '-q', url('hello', 'ghs_bogus'), fresh()]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Authentication failed');
    expect(server.requests.every((req) => req.status === 401)).toBe(true);
  });

  it('lets a read-only token clone but answers its push with 403 "Permission … denied"', async () => {
    const dir = fresh();
    await mustGit(work.dir, ['clone', '-q', url('hello', READ_TOKEN), dir]);
    await mustGit(dir, ['commit', '-q', '--allow-empty', '-m', 'nope']);
    const r = await git(dir, ['push', 'origin', 'HEAD:refs/heads/ro']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Permission to octo/hello.git denied.');
    expect(server.requests.some((req) => req.status === 403)).toBe(true);
    expect(server.pushes).toEqual([]);
    expect(await hello.resolve('refs/heads/ro')).toBeNull();
  });

  it('answers 404 for an unknown repository', async () => {
    const r = await git(work.dir, ['clone', '-q', url('missing'), fresh()]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not found/i);
    expect(server.requests.at(-1)?.status).toBe(404);
  });

  it('sends credentials up front with http.extraHeader and keeps them out of .git/config', async () => {
    const dir = fresh();
    const basic = Buffer.from(`x-access-token:${WRITE_TOKEN}`).toString('base64');
    await mustGit(work.dir, ['-c', `http.extraHeader=Authorization: Basic ${basic}`, 'clone', '-q', url('hello', null), dir]);
    expect(server.requests.every((r) => r.auth && r.status === 200)).toBe(true);
    expect(await readFile(path.join(dir, '.git', 'config'), 'utf8')).not.toContain(WRITE_TOKEN);
  });

  it('inflates gzip request bodies (protocol v0 clone with a want list over 1 KiB)', async () => {
    const many = await BareRepo.init(path.join(repos.dir, 'octo', 'many.git'), 'main');
    const root = await many.commitFiles({ branch: 'main', files: { 'x.txt': 'x\n' }, message: 'root', author: alice });
    // 80 branches at 80 distinct commits, written in one fast-import run of a local clone, then pushed
    const src = fresh();
    await mustGit(work.dir, ['clone', '-q', url('many'), src]);
    const stream = Array.from({ length: 80 }, (_, i) =>
      [`commit refs/heads/b${i}`, 'committer T <t@example.com> 1700000000 +0000', 'data 2', `c${i % 10}`, `from ${root}`, `M 100644 inline f${i}.txt`, `data ${String(i).length}`, String(i), ''].join('\n'),
    ).join('\n');
    await mustGit(src, ['fast-import', '--quiet'], stream + '\n');
    await mustGit(src, ['push', '-q', 'origin', 'refs/heads/b*:refs/heads/b*']);
    expect(server.pushes.at(-1)?.updates).toHaveLength(80);
    server.requests.length = 0;
    const dir = fresh();
    await mustGit(work.dir, ['-c', 'protocol.version=0', 'clone', '-q', '--no-single-branch', url('many'), dir]);
    expect(server.requests.some((r) => r.method === 'POST' && r.contentEncoding === 'gzip' && r.status === 200)).toBe(true);
    expect(await mustGit(dir, ['branch', '-r'])).toContain('origin/b79');
  });

  it('accepts chunked pushes larger than http.postBuffer', async () => {
    const dir = fresh();
    await mustGit(work.dir, ['clone', '-q', url('hello'), dir]);
    const blob = randomBytes(200 * 1024);
    await writeFile(path.join(dir, 'big.bin'), blob);
    await mustGit(dir, ['add', '.']);
    await mustGit(dir, ['commit', '-qm', 'big']);
    await mustGit(dir, ['-c', 'http.postBuffer=65536', 'push', '-q', 'origin', 'HEAD:refs/heads/big']);
    expect(server.requests.some((r) => r.method === 'POST' && r.url.endsWith('git-receive-pack') && r.chunked)).toBe(true);
    expect((await hello.readFile('refs/heads/big', 'big.bin'))?.content.equals(blob)).toBe(true);
    expect(server.pushes[0]?.updates.map((u) => u.ref)).toEqual(['refs/heads/big']);
  });

  it('rejects direct pushes to a protected branch with GH006 while other refs of the push land', async () => {
    const guarded = await BareRepo.init(path.join(repos.dir, 'octo', 'guarded.git'), 'main');
    const base = await guarded.commitFiles({ branch: 'main', files: { 'a.txt': 'a\n' }, message: 'init', author: alice });
    const dir = fresh();
    await mustGit(work.dir, ['clone', '-q', url('guarded'), dir]);
    await mustGit(dir, ['commit', '-q', '--allow-empty', '-m', 'direct']);
    const head = await mustGit(dir, ['rev-parse', 'HEAD']);
    const r = await git(dir, ['push', 'origin', 'main', 'main:refs/heads/feature']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('GH006: Protected branch update failed for refs/heads/main.');
    expect(await guarded.resolve('main')).toBe(base);
    expect(server.pushes.map((p) => p.updates)).toEqual([[{ ref: 'refs/heads/feature', before: ZERO, after: head }]]);
  });

  it('refuses pushes to refs/pull/* like GitHub', async () => {
    const dir = fresh();
    await mustGit(work.dir, ['clone', '-q', url('hello'), dir]);
    const r = await git(dir, ['push', 'origin', 'HEAD:refs/pull/1/head']);
    expect(r.code).not.toBe(0);
    expect(await hello.resolve('refs/pull/1/head')).toBeNull();
  });

  it('resolves false without writing for URLs that are not git URLs', async () => {
    for (const [pathname, search] of [['/repos/octo/hello', ''], ['/octo/hello.git/info/refs', ''], ['/octo/hello.git/objects/info/packs', ''], ['/../etc/info/refs', '?service=git-upload-pack']]) {
      let wrote = false;
      const res = { writeHead: () => (wrote = true), end: () => (wrote = true), setHeader: () => (wrote = true), write: () => (wrote = true) };
      // @ts-expect-error only the methods the handler could touch
      expect(await server.handle({ headers: {} }, res, pathname, search)).toBe(false);
      expect(wrote).toBe(false);
    }
  });
});

describe('simple-git against the handler', () => {
  it('clones, reverts and pushes; a bad token surfaces "Authentication failed"', async () => {
    const dir = fresh();
    const config = ['user.name=Bot', 'user.email=bot@example.com'];
    await simpleGit({ baseDir: work.dir, config }).clone(url('hello'), dir);
    const g = simpleGit({ baseDir: dir, config });
    const target = (await g.revparse(['HEAD'])).trim();
    await g.checkoutLocalBranch('revert-x');
    await g.raw(['revert', '--no-edit', target]);
    await g.push('origin', 'revert-x');
    const pushed = server.pushes.at(-1)?.updates;
    expect(pushed).toEqual([{ ref: 'refs/heads/revert-x', before: ZERO, after: (await g.revparse(['HEAD'])).trim() }]);
    expect((await hello.getCommit('refs/heads/revert-x'))?.message).toMatch(/^Revert/);
    await expect(simpleGit({ baseDir: work.dir, config }).clone(url('hello', 'ghs_bad'), fresh())).rejects.toThrow(/Authentication failed/);
  });
});
