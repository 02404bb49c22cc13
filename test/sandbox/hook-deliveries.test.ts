import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { failure } from './support/http-outcome.ts';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';
import { quiet, setupWorld, type World } from './support/world.ts';

interface Item {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  duration: number;
  status: string;
  status_code: number;
  event: string;
  action: string | null;
  installation_id: number | null;
  repository_id: number | null;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('GET/POST /app/hook/deliveries (App JWT)', () => {
  let sb: TestSandbox;
  let w: World;
  let rx: WebhookReceiver;
  let asApp: Octokit;
  beforeAll(async () => {
    sb = await startTestSandbox();
    rx = await startWebhookReceiver(sb.app.webhookSecret);
    w = await setupWorld(sb);
    sb.setWebhookUrl(rx.url);
    asApp = new Octokit({ baseUrl: sb.baseUrl, log: quiet, authStrategy: createAppAuth, auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem } });
  });
  beforeEach(async () => {
    sb.driver.setFaults({});
    sb.setWebhookUrl(rx.url);
    rx.respond({});
    await sb.idle();
    rx.received.length = 0;
  });
  afterAll(async () => {
    await sb.close();
    await rx.close();
  });

  const all = async (): Promise<Item[]> => (await asApp.paginate('GET /app/hook/deliveries', { per_page: 100 })) as Item[];
  const attemptsOf = async (guid: string): Promise<Item[]> => (await all()).filter((i) => i.guid === guid);
  const openIssue = async (title: string): Promise<string> => {
    await sb.driver.createIssue('alice', 'acme', 'web', { title });
    await sb.idle();
    return sb.deliveries().at(-1)!.id;
  };

  it('lists one item per attempt, newest first, paginated by the cursor in the link header', async () => {
    const guids: string[] = [];
    for (const t of ['one', 'two', 'three', 'four', 'five']) guids.push(await openIssue(t));
    const first = await asApp.request('GET /app/hook/deliveries', { per_page: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.headers.link).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/app\/hook\/deliveries\?per_page=2&cursor=[^>]+>; rel="next"$/);
    const seen: Item[] = [];
    let url: string | undefined = `/app/hook/deliveries?per_page=2`;
    for (let pages = 0; url && pages < 100; pages++) {
      const r: { data: Item[]; headers: { link?: string } } = await asApp.request(`GET ${url}`);
      expect(r.data.length).toBeLessThanOrEqual(2);
      seen.push(...r.data);
      url = /<([^>]+)>; rel="next"/.exec(r.headers.link ?? '')?.[1];
    }
    expect(url).toBeUndefined();
    const ids = seen.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    expect(seen.slice(0, 5).map((i) => i.guid)).toEqual([...guids].reverse());
    expect(await all()).toEqual(seen);
    const { data: repo } = await w.app.rest.repos.get({ owner: 'acme', repo: 'web' });
    expect(seen[0]).toEqual({
      id: expect.any(Number),
      guid: guids[4],
      delivered_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      redelivery: false,
      duration: expect.any(Number),
      status: 'OK',
      status_code: 200,
      event: 'issues',
      action: 'opened',
      installation_id: w.inst,
      repository_id: repo.id,
      throttled_at: null,
    });
    expect(seen[0].duration).toBeGreaterThanOrEqual(0);
    expect(seen[0].duration).toBeLessThan(10);
  });

  it('a receiver answering 500, then a redelivery answered 200: two items with one guid, the second a redelivery', async () => {
    rx.respond({ status: 500 });
    const guid = await openIssue('fails first');
    const [failed] = await attemptsOf(guid);
    expect(failed).toMatchObject({ redelivery: false, status: 'Invalid HTTP Response: 500', status_code: 500 });
    rx.respond({});
    const answer = await asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: failed.id });
    expect(answer.status).toBe(202);
    expect(answer.data).toEqual({});
    await sb.idle();
    const tries = await attemptsOf(guid);
    expect(tries.map((t) => [t.redelivery, t.status, t.status_code])).toEqual([
      [true, 'OK', 200],
      [false, 'Invalid HTTP Response: 500', 500],
    ]);
    expect(tries[0].id).toBeGreaterThan(tries[1].id);
    const copies = rx.received.filter((r) => r.id === guid);
    expect(copies).toHaveLength(2);
    expect(copies.every((c) => c.signatureValid)).toBe(true);
    expect(copies[1].payload).toEqual(copies[0].payload);
    // the filter GitHub documents: success = 200–399, failure = 400–599
    const filtered = async (status: string): Promise<number[]> => {
      const r: { data: Item[] } = await asApp.request(`GET /app/hook/deliveries?per_page=100&status=${status}`);
      return r.data.filter((i) => i.guid === guid).map((i) => i.status_code);
    };
    expect(await filtered('failure')).toEqual([500]);
    expect(await filtered('success')).toEqual([200]);
    // the driver's redeliver() makes attempts of the same kind, and the driver's log still counts them
    await sb.redeliver(guid);
    expect((await attemptsOf(guid)).map((t) => t.redelivery)).toEqual([true, true, false]);
    expect(sb.deliveries().find((d) => d.id === guid)).toMatchObject({ status: 200, attempts: 3 });
  });

  it('GET /app/hook/deliveries/{id} shows what was sent and what the receiver answered', async () => {
    rx.respond({ status: 503 });
    const guid = await openIssue('detail');
    const [item] = await attemptsOf(guid);
    const { data } = await asApp.rest.apps.getWebhookDelivery({ delivery_id: item.id });
    expect(data).toMatchObject({ ...item, url: rx.url });
    const sent = rx.received.find((r) => r.id === guid)!;
    expect(data.request.payload).toEqual(sent.payload);
    expect(data.request.headers).toMatchObject({
      'X-GitHub-Delivery': guid,
      'X-GitHub-Event': 'issues',
      'X-Hub-Signature-256': sent.headers['x-hub-signature-256'],
      'Content-Type': 'application/json',
    });
    // response headers keep the case the receiver sent them in
    expect(data.response).toEqual({ headers: expect.objectContaining({ 'content-type': 'text/plain' }), payload: 'ok' });
  });

  it('records status_code 0 with GitHub\'s failure text when no HTTP answer arrives', async () => {
    // nothing listening
    sb.setWebhookUrl(`http://127.0.0.1:${await closedPort()}/hook`);
    const refused = await openIssue('receiver down');
    expect(await attemptsOf(refused)).toEqual([expect.objectContaining({ status: 'failed to connect to network', status_code: 0 })]);
    expect(sb.deliveries().find((d) => d.id === refused)).toMatchObject({ status: 'error', attempts: 1 });
    // a host that does not resolve
    sb.setWebhookUrl('http://receiver.invalid/hook');
    const unresolved = await openIssue('no such host');
    expect(await attemptsOf(unresolved)).toEqual([expect.objectContaining({ status: 'failed to connect to host', status_code: 0 })]);
    // the receiver dies mid-request (connection closed without an answer)
    const dying = http.createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => dying.listen(0, '127.0.0.1', resolve));
    sb.setWebhookUrl(`http://127.0.0.1:${(dying.address() as AddressInfo).port}/hook`);
    const reset = await openIssue('receiver dies');
    await new Promise<void>((resolve) => dying.close(() => resolve()));
    expect(await attemptsOf(reset)).toEqual([expect.objectContaining({ status: 'connection reset by peer', status_code: 0 })]);
    // no complete answer within the timeout (GitHub: 10 s; shortened here through the fault knob)
    sb.setWebhookUrl(rx.url);
    sb.driver.setFaults({ webhooks: { timeoutMs: 150 } });
    rx.respond({ delayMs: 1_000 });
    const slow = await openIssue('receiver too slow');
    const [timedOut] = await attemptsOf(slow);
    expect(timedOut).toMatchObject({ status: 'timed out', status_code: 0 });
    expect(timedOut.duration).toBeGreaterThanOrEqual(0.14);
    expect(timedOut.duration).toBeLessThan(1);
    // each failure is redeliverable like any attempt
    rx.respond({});
    sb.driver.setFaults({});
    await asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: (await attemptsOf(refused))[0].id });
    await sb.idle();
    expect((await attemptsOf(refused)).map((t) => [t.redelivery, t.status_code])).toEqual([
      [true, 200],
      [false, 0],
    ]);
    expect(rx.received.filter((r) => r.id === refused && r.signatureValid)).toHaveLength(1);
  });

  it('lists the duplicate of the duplicate fault as a second attempt (not a redelivery); dropped deliveries are no attempts', async () => {
    sb.driver.setFaults({ webhooks: { duplicate: true } });
    const dup = await openIssue('dup');
    expect((await attemptsOf(dup)).map((t) => [t.redelivery, t.status_code])).toEqual([
      [false, 200],
      [false, 200],
    ]);
    sb.driver.setFaults({});
    sb.setWebhookUrl(null);
    const dropped = await openIssue('nobody');
    expect(await attemptsOf(dropped)).toEqual([]);
  });

  it('answers 404 for an unknown delivery, 401 without a JWT, 422 for a malformed cursor', async () => {
    expect(await failure(asApp.rest.apps.redeliverWebhookDelivery({ delivery_id: 1 }))).toMatchObject({ status: 404, message: 'Not Found' });
    expect(await failure(asApp.rest.apps.getWebhookDelivery({ delivery_id: 1 }))).toMatchObject({ status: 404 });
    const anonymous = new Octokit({ baseUrl: sb.baseUrl, log: quiet });
    expect(await failure(anonymous.rest.apps.listWebhookDeliveries())).toMatchObject({ status: 401, message: 'A JSON web token could not be decoded' });
    const auth = createAppAuth({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, request: new Octokit({ baseUrl: sb.baseUrl, log: quiet }).request });
    const { token } = await auth({ type: 'installation', installationId: w.inst });
    const asInstallation = new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: token });
    expect(await failure(asInstallation.rest.apps.listWebhookDeliveries())).toMatchObject({ status: 401, message: 'A JSON web token could not be decoded' });
    expect(await failure(asInstallation.rest.apps.redeliverWebhookDelivery({ delivery_id: 1 }))).toMatchObject({ status: 401 });
    expect(await failure(w.asAlice.rest.apps.listWebhookDeliveries())).toMatchObject({ status: 401 });
    expect(await failure(asApp.rest.apps.listWebhookDeliveries({ cursor: 'not-a-cursor' }))).toMatchObject({ status: 422 });
  });

  it('produced no OpenAPI contract violations (strict mode)', async () => {
    await sb.idle();
    expect(sb.violations()).toEqual([]);
  });
});
