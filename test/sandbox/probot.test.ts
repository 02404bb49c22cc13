import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Probot, ProbotOctokit, createNodeMiddleware } from 'probot';
import { startTestSandbox, type TestSandbox } from './support/start.ts';
import { setupWorld } from './support/world.ts';

describe('a real Probot app against the sandbox', () => {
  let sb: TestSandbox;
  let server: http.Server;
  beforeAll(async () => {
    sb = await startTestSandbox();
    await setupWorld(sb);
    const Octokit = ProbotOctokit.defaults((o: Record<string, unknown>) => ({ ...o, retry: { enabled: false }, throttle: { ...(o.throttle as object), enabled: false } }));
    const probot = new Probot({ appId: sb.app.id, privateKey: sb.app.privateKeyPem, secret: sb.app.webhookSecret, baseUrl: sb.baseUrl, Octokit, logLevel: 'fatal' });
    const app = (p: Probot): void => {
      p.on('issue_comment.created', async (context) => {
        if (context.isBot) return;
        const config = await context.octokit.rest.repos.getContent(context.repo({ path: 'README.md' }));
        const readme = Buffer.from((config.data as { content: string }).content, 'base64').toString().trim();
        await context.octokit.rest.issues.createComment(context.issue({ body: `ack: ${context.payload.comment.body} (${readme})` }));
        await context.octokit.rest.reactions.createForIssueComment(context.repo({ comment_id: context.payload.comment.id, content: 'rocket' }));
      });
    };
    const middleware = await createNodeMiddleware(app, { probot });
    server = http.createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    sb.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`);
  });
  afterAll(async () => {
    await sb.close();
    await new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  });

  it('receives a signed issue_comment, authenticates as the installation and answers as <slug>[bot]', async () => {
    const n = await sb.driver.createIssue('alice', 'acme', 'web', { title: 'incident' });
    await sb.driver.comment('alice', 'acme', 'web', n, '/rollback');
    await sb.idle();
    const comments = sb.driver.listComments('acme', 'web', n);
    expect(comments.map((c) => [c.user, c.body])).toEqual([
      ['alice', '/rollback'],
      [`${sb.app.slug}[bot]`, 'ack: /rollback (# web)'],
    ]);
    expect(comments[0].reactions.map((r) => r.content)).toEqual(['rocket']);
    const delivery = sb.deliveries().find((d) => d.event === 'issue_comment');
    expect(delivery?.status).toBe(200);
  });
});
