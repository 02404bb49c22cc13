/** The sandbox's one HTTP server: git smart HTTP first, then REST at `/` and `/api/v3/`. */
import http from 'node:http';
import type { SandboxContext } from './context.ts';
import { createGitHttpHandler } from './git/http-handler.ts';
import { isProtectedRef, authorizeGit, onGitPush } from './git-access.ts';
import { describeRequest } from './http/describe-request.ts';
import { handleRest, type RestDeps } from './http/handle-rest.ts';
import { secondaryLimiterOf } from './http/secondary-limits.ts';
import type { RequestHook } from './types.ts';
import { createHtmlHandler } from './html/handle-html.ts';
import { createBrowserSessions } from './oauth/browser-session.ts';
import { createOAuthHandler } from './oauth/handle-oauth.ts';

export interface ServerDeps extends RestDeps {
  /** the test's `onRequest` hook, if any: awaited before a request is handled */
  requestHook(): RequestHook | null;
}

export function createSandboxServer(ctx: SandboxContext, deps: ServerDeps): http.Server {
  const git = createGitHttpHandler({
    reposRoot: `${ctx.dir}/repos`,
    authorize: (p) => authorizeGit(ctx, p),
    onPush: (p) => onGitPush(ctx, p),
    isProtected: (p) => isProtectedRef(ctx, p),
  });
  // Realistic mode (GitHub's secondary limits, network latency): off until useRealisticLimits() configures it.
  const secondary = secondaryLimiterOf(ctx.app);
  const restDeps: RestDeps = { ...deps, secondary };
  // The web side (github.com's part): the OAuth web flow, and read-only pages for the `html_url`s.
  const sessions = createBrowserSessions((login) => ctx.state.accounts[login]?.type === 'User', () => ctx.now());
  const oauth = createOAuthHandler(ctx, sessions);
  const html = createHtmlHandler(ctx, (req) => sessions.viewerOf(req));
  const server = http.createServer((req, res) => {
    void (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', ctx.baseUrl);
      } catch {
        res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Bad Request', documentation_url: 'https://docs.github.com/rest', status: '400' }));
        return;
      }
      const pathname = url.pathname;
      // GitHub Enterprise Server serves GraphQL at /api/graphql (Octokit's graphql() goes there for an /api/v3 base URL).
      const path = pathname === '/api/graphql' ? '/graphql' : pathname === '/api/v3' ? '/' : pathname.startsWith('/api/v3/') ? pathname.slice('/api/v3'.length) : pathname;
      const hook = deps.requestHook();
      if (hook) await hook(describeRequest(ctx, req, path));
      await secondary.delay();
      if (await git(req, res, pathname, url.search)) return;
      if (await oauth(req, res, url)) return;
      // A path a REST route claims (any method) stays REST; the HTML pages only get what the API does not serve.
      if (path === pathname && !deps.router.pathExists(path) && (await html(req, res, url))) return;
      await handleRest(ctx, restDeps, req, res, url, path);
    })().catch((err: unknown) => {
      process.emitWarning(`sandbox: request failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ message: 'Internal Server Error', documentation_url: 'https://docs.github.com/rest', status: '500' }));
      } else {
        res.destroy();
      }
    });
  });
  server.keepAliveTimeout = 5_000;
  return server;
}
