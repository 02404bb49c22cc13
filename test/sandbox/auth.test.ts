import { createSign } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { failure } from './support/http-outcome.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { appOctokit, quiet, setupWorld, type World } from './support/world.ts';

function jwt(privateKey: string, claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(claims)}`;
  const sig = createSign('RSA-SHA256').update(head).sign(privateKey).toString('base64url');
  return `${head}.${sig}`;
}

describe('GitHub App authentication', () => {
  let sb: TestSandbox;
  let w: World;
  beforeAll(async () => {
    sb = await startTestSandbox();
    w = await setupWorld(sb, ['web', 'api']);
  });
  afterAll(() => sb.close());

  it('writes a PKCS#1 key and answers GET /app with a JWT from auth-app', async () => {
    expect(sb.app.privateKeyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    const octo = new Octokit({ baseUrl: sb.baseUrl, log: quiet, authStrategy: createAppAuth, auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem } });
    const { data } = await octo.rest.apps.getAuthenticated();
    expect(data?.slug).toBe(sb.app.slug);
    expect(data?.id).toBe(sb.app.id);
    const inst = await octo.rest.apps.getRepoInstallation({ owner: 'acme', repo: 'web' });
    expect(inst.data.id).toBe(w.inst);
    expect(inst.data.app_id).toBe(sb.app.id);
    const org = await octo.rest.apps.getOrgInstallation({ org: 'acme' });
    expect(org.data.id).toBe(w.inst);
    expect(await failure(octo.rest.apps.getOrgInstallation({ org: 'nobody' }))).toMatchObject({ status: 404 });
  });

  it('issues 1-hour ghs_ installation tokens usable on REST', async () => {
    const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl }).request });
    const t = await auth({ type: 'installation', installationId: w.inst });
    expect(t.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/);
    const ttl = Date.parse(t.expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(59 * 60_000);
    expect(ttl).toBeLessThanOrEqual(3600_000);
    const { data } = await new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: t.token }).rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(data.full_name).toBe('acme/web');
    expect(data.clone_url).toBe(`${sb.baseUrl}/acme/web.git`);
  });

  it('rejects bad JWTs with GitHub\'s exact 401 messages and a Date header', async () => {
    const now = Math.floor(Date.now() / 1000);
    const call = (token: string) => failure(new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: token }).request('GET /app'));
    const expired = await call(jwt(sb.app.privateKeyPem, { iss: sb.app.id, iat: now - 700, exp: now - 60 }));
    expect(expired.status).toBe(401);
    expect(expired.message).toBe("'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
    expect(Date.parse(expired.headers.date)).toBeGreaterThan(0);
    const tooFar = await call(jwt(sb.app.privateKeyPem, { iss: sb.app.id, iat: now - 30, exp: now + 3600 }));
    expect(tooFar).toMatchObject({ status: 401, message: "'Expiration time' claim ('exp') is too far in the future" });
    const future = await call(jwt(sb.app.privateKeyPem, { iss: sb.app.id, iat: now + 600, exp: now + 900 }));
    expect(future).toMatchObject({ status: 401, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" });
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const badSig = await call(jwt(other, { iss: sb.app.id, iat: now - 30, exp: now + 500 }));
    expect(badSig).toMatchObject({ status: 401, message: 'A JSON web token could not be decoded' });
  });

  it('auth-app recovers from clock drift using the Date header', async () => {
    // the server's clock runs 20 minutes behind: the client's first JWT looks issued in the future,
    // auth-app reads the Date header of the 401 and retries with the difference accounted for
    const skewed = await startTestSandbox({ dir: sb.dir + '-skewed', clock: () => new Date(Date.now() - 20 * 60_000) });
    try {
      const octo = new Octokit({ baseUrl: skewed.baseUrl, log: quiet, authStrategy: createAppAuth, auth: { appId: skewed.app.id, privateKey: skewed.app.privateKeyPem } });
      const { data } = await octo.rest.apps.getAuthenticated();
      expect(data?.id).toBe(skewed.app.id);
    } finally {
      await skewed.close();
      rmSync(skewed.dir, { recursive: true, force: true });
    }
  });

  it('answers 404 for an unknown installation and 401 for unknown tokens', async () => {
    const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl }).request });
    expect(await failure(auth({ type: 'installation', installationId: 999_999 }))).toMatchObject({ status: 404 });
    const bad = await failure(new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: 'ghs_notarealtoken' }).rest.repos.get({ owner: 'acme', repo: 'web' }));
    expect(bad).toMatchObject({ status: 401, message: 'Bad credentials' });
    // installation tokens are not JWTs
    const t = await auth({ type: 'installation', installationId: w.inst });
    expect(await failure(new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: t.token }).request('GET /app'))).toMatchObject({ status: 401 });
  });

  it('honours down-scoping of repositories and permissions, and refuses escalation with 422', async () => {
    const octo = new Octokit({ baseUrl: sb.baseUrl, log: quiet, authStrategy: createAppAuth, auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem } });
    const { data } = await octo.rest.apps.createInstallationAccessToken({ installation_id: w.inst, repositories: ['api'], permissions: { contents: 'read', issues: 'write' } });
    expect(data.repository_selection).toBe('selected');
    expect(data.repositories?.map((r) => r.name)).toEqual(['api']);
    expect(data.permissions).toMatchObject({ contents: 'read', issues: 'write' });
    const scoped = new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: data.token });
    expect((await scoped.rest.repos.get({ owner: 'acme', repo: 'api' })).data.name).toBe('api');
    expect(await failure(scoped.rest.repos.get({ owner: 'acme', repo: 'web' }))).toMatchObject({ status: 404 });
    await sb.driver.commit('acme', 'api', { branch: 'scoped', files: { 'x.txt': 'x\n' }, message: 'x', author: 'alice' });
    const pr = await sb.driver.openPull('alice', 'acme', 'api', { head: 'scoped', title: 'Scoped' });
    await sb.idle();
    const merge = await failure(scoped.rest.pulls.merge({ owner: 'acme', repo: 'api', pull_number: pr }));
    expect(merge).toMatchObject({ status: 403, message: 'Resource not accessible by integration' });
    const up = await failure(octo.rest.apps.createInstallationAccessToken({ installation_id: w.inst, permissions: { administration: 'write' } }));
    expect(up.status).toBe(422);
    const missing = await failure(octo.rest.apps.createInstallationAccessToken({ installation_id: w.inst, repositories: ['nope'] }));
    expect(missing.status).toBe(422);
  });

  it('user tokens act as the user with their repository role', async () => {
    const me = await w.asAlice.rest.users.getAuthenticated();
    expect(me.data.login).toBe('alice');
    const repo = await w.asAlice.rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(repo.data.permissions).toMatchObject({ push: true, admin: false });
    const perm = await w.app.rest.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'web', username: 'alice' });
    expect(perm.data).toMatchObject({ permission: 'write', role_name: 'write' });
    const carol = await sb.driver.createUser('carol');
    await sb.driver.addCollaborator('acme', 'web', 'carol', 'read');
    const asCarol = new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: carol.token });
    await sb.driver.commit('acme', 'web', { branch: 'carol', files: { 'c.txt': 'c\n' }, message: 'c', author: 'alice' });
    const pr = await sb.driver.openPull('alice', 'acme', 'web', { head: 'carol', title: 'Carol' });
    await sb.idle();
    expect((await failure(asCarol.rest.pulls.merge({ owner: 'acme', repo: 'web', pull_number: pr }))).status).toBe(403);
    const comment = await w.app.rest.issues.createComment({ owner: 'acme', repo: 'web', issue_number: pr, body: 'bot here' });
    expect(comment.data.user?.login).toBe(`${sb.app.slug}[bot]`);
    expect(comment.data.user?.type).toBe('Bot');
    expect(comment.data.performed_via_github_app?.id).toBe(sb.app.id);
  });

  it('works through the /api/v3 prefix (GHE_HOST style)', async () => {
    const octo = appOctokit({ app: sb.app, baseUrl: `${sb.baseUrl}/api/v3` }, w.inst);
    const { data } = await octo.rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(data.default_branch).toBe('main');
  });
});
