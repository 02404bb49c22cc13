/** The sandbox's OAuth web flow for the App's user tokens: authorize page, codes, the token exchange. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthClientOf } from '../../src/sandbox/oauth/credentials.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';

let sb: TestSandbox;
let doraToken: string;
const CALLBACK = 'http://127.0.0.1:9/callback';

beforeAll(async () => {
  sb = await startTestSandbox({ seedDemo: true });
  doraToken = (await sb.driver.createUser('dora')).token;
}, 600_000);
afterAll(async () => {
  sb.expectNoViolations();
  await sb.close();
});

function authorizeForm(fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${sb.baseUrl}/login/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

async function exchange(fields: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`${sb.baseUrl}/login/oauth/access_token`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: JSON.stringify(fields) });
  expect(res.status).toBe(200); // GitHub answers 200, errors included
  return (await res.json()) as Record<string, unknown>;
}

// Each case drives a real sandbox: minutes on a loaded machine, not vitest's 60 s default.
describe('sandbox OAuth web flow', { timeout: 300_000 }, () => {
  it('signs a person in, redirects back with a one-time code and the state, and trades the code for an expiring ghu_ token', async () => {
    const { clientId, clientSecret } = oauthClientOf(sb.app);
    const page = await fetch(`${sb.baseUrl}/login/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=xyz`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="token" id="token" type="password"');
    expect(html).toContain('value="xyz"');

    const bad = await authorizeForm({ client_id: clientId, redirect_uri: CALLBACK, state: 'xyz', login: 'dora', token: 'ghp_wrong' });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('Incorrect username or token.');

    const ok = await authorizeForm({ client_id: clientId, redirect_uri: CALLBACK, state: 'xyz', login: 'dora', token: doraToken });
    expect(ok.status).toBe(302);
    const back = new URL(ok.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(CALLBACK);
    expect(back.searchParams.get('state')).toBe('xyz');
    const code = back.searchParams.get('code')!;
    const cookie = ok.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sandbox_session=dora\.\d+\.[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);

    expect(await exchange({ client_id: clientId, client_secret: 'nope', code })).toMatchObject({ error: 'incorrect_client_credentials' });
    // The failed attempt above did not reach the code; a wrong redirect_uri does, and uses it up.
    const token = await exchange({ client_id: clientId, client_secret: clientSecret, code, redirect_uri: CALLBACK });
    expect(token).toMatchObject({ token_type: 'bearer', expires_in: 28_800 });
    expect(token.access_token).toMatch(/^ghu_[A-Za-z0-9]{36}$/);
    expect(await exchange({ client_id: clientId, client_secret: clientSecret, code })).toMatchObject({ error: 'bad_verification_code' });

    const me = await fetch(`${sb.baseUrl}/user`, { headers: { authorization: `Bearer ${String(token.access_token)}` } });
    expect(((await me.json()) as { login: string }).login).toBe('dora');

    // Signed in to the sandbox: the next authorize is one button, guarded by a per-session form token.
    const again = await fetch(`${sb.baseUrl}/login/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}&state=s2`, { headers: { cookie: cookie.split(';')[0] } });
    const form = await again.text();
    expect(form).toContain('Signed in as <strong>dora</strong>');
    const csrf = /name="authenticity_token" value="([^"]+)"/.exec(form)![1];
    expect((await authorizeForm({ client_id: clientId, redirect_uri: CALLBACK, state: 's2', authenticity_token: 'forged' }, cookie.split(';')[0])).status).toBe(422);
    const second = await authorizeForm({ client_id: clientId, redirect_uri: CALLBACK, state: 's2', authenticity_token: csrf }, cookie.split(';')[0]);
    expect(second.status).toBe(302);
    expect(new URL(second.headers.get('location')!).searchParams.get('state')).toBe('s2');
  });

  it('refuses an unknown client, a redirect off this machine, a code for another redirect_uri, and a tampered session', async () => {
    const { clientId, clientSecret } = oauthClientOf(sb.app);
    expect((await fetch(`${sb.baseUrl}/login/oauth/authorize?client_id=Iv1.nobody&redirect_uri=${encodeURIComponent(CALLBACK)}`)).status).toBe(404);
    expect((await fetch(`${sb.baseUrl}/login/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent('https://evil.example/cb')}`)).status).toBe(400);
    expect((await fetch(`${sb.baseUrl}/login/oauth/authorize?client_id=${clientId}&redirect_uri=javascript:alert(1)`)).status).toBe(400);
    const ok = await authorizeForm({ client_id: clientId, redirect_uri: CALLBACK, state: '', login: 'dora', token: doraToken });
    const code = new URL(ok.headers.get('location')!).searchParams.get('code')!;
    expect(new URL(ok.headers.get('location')!).searchParams.has('state')).toBe(false);
    expect(await exchange({ client_id: clientId, client_secret: clientSecret, code, redirect_uri: 'http://127.0.0.1:9/other' })).toMatchObject({ error: 'redirect_uri_mismatch' });
    expect(await exchange({ client_id: clientId, client_secret: clientSecret, code })).toMatchObject({ error: 'bad_verification_code' });
    const broken = await fetch(`${sb.baseUrl}/login/oauth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"client_id": ' });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toBe('the request body is not valid JSON\n');
    const forged = await fetch(`${sb.baseUrl}/login/oauth/authorize?client_id=${clientId}&redirect_uri=${encodeURIComponent(CALLBACK)}`, { headers: { cookie: 'sandbox_session=bob.99999999999999.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(await forged.text()).not.toContain('Signed in as');
  });

  it('lets a signed-in person see private pages they can read, and no others', async () => {
    await sb.driver.createRepo('acme', 'vault', { private: true, files: { 'README.md': '# vault\n' } });
    await sb.driver.addCollaborator('acme', 'vault', 'dora', 'read');
    const { clientId } = oauthClientOf(sb.app);
    const ok = await authorizeForm({ client_id: clientId, redirect_uri: CALLBACK, state: 'v', login: 'dora', token: doraToken });
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    expect((await fetch(`${sb.baseUrl}/acme/vault`)).status).toBe(404);
    const seen = await fetch(`${sb.baseUrl}/acme/vault`, { headers: { cookie } });
    expect(seen.status).toBe(200);
    expect(await seen.text()).toContain('signed in as dora');
    const alice = (await fetch(`${sb.baseUrl}/acme/vault`, { headers: { cookie: 'sandbox_session=alice.1.x' } })).status;
    expect(alice).toBe(404);
  });
});
