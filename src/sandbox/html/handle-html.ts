/**
 * Read-only HTML for every `html_url` the sandbox hands out (`/{owner}`, `/{owner}/{repo}`, `/tree/…`,
 * `/issues/N`, `/pull/N`, `/commit/SHA`, `/blob/…`, `/raw/…`). The server asks it only for GETs that
 * no REST route claims, so API and git paths are untouched. It claims a path when its first segment
 * names an account, or when the client asks for HTML (a browser); anything else stays the REST 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxContext } from '../context.ts';
import { findRepo } from '../auth/access.ts';
import { keyOf } from '../services/repo-key.ts';
import type { AccountState } from '../state/model.ts';
import { notFoundPage } from './layout.ts';
import { issuePage, pullPage } from './issue-pages.ts';
import { accountPage, appPage, blobPage, commitPage, homePage, repoPage, type PageResult } from './repo-pages.ts';
import { canView } from './view-helpers.ts';

export type HtmlHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

function accountOf(ctx: SandboxContext, login: string): AccountState | undefined {
  return ctx.state.accounts[login] ?? Object.values(ctx.state.accounts).find((a) => a.login.toLowerCase() === login.toLowerCase());
}

function segments(pathname: string): string[] | null {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** The page for a path, null for 404 (also for private repositories the viewer cannot see). */
async function route(ctx: SandboxContext, viewer: string | null, parts: string[]): Promise<PageResult | null> {
  if (parts.length === 0) return homePage(ctx, viewer);
  if (parts[0] === 'apps' && parts.length === 2 && !accountOf(ctx, 'apps')) return appPage(ctx, viewer, parts[1]);
  const account = accountOf(ctx, parts[0]);
  if (!account) return null;
  if (parts.length === 1) return accountPage(ctx, viewer, account);
  const repo = findRepo(ctx, account.login, parts[1].replace(/\.git$/, ''));
  if (!repo || !canView(ctx, viewer, repo)) return null;
  const [, , section, ...rest] = parts;
  if (section === undefined) return repoPage(ctx, viewer, repo);
  if (section === 'tree' && rest.length > 0) return repoPage(ctx, viewer, repo, rest.join('/'));
  if (section === 'commit' && rest.length === 1) return commitPage(ctx, viewer, repo, rest[0]);
  if ((section === 'blob' || section === 'raw') && rest.length >= 2) return blobPage(ctx, viewer, repo, rest[0], rest.slice(1).join('/'), section === 'raw');
  if ((section === 'issues' || section === 'pull') && rest.length === 1 && /^[0-9]{1,9}$/.test(rest[0])) {
    const key = keyOf(repo.owner, repo.name);
    const issue = ctx.state.issues.find((i) => i.repo === key && i.number === Number(rest[0]));
    if (!issue) return null;
    const pull = issue.isPull ? ctx.state.pulls.find((p) => p.repo === key && p.number === issue.number) : undefined;
    // GitHub redirects between /issues/N and /pull/N; the sandbox just shows the right page for either.
    return pull ? pullPage(ctx, viewer, repo, issue, pull) : issuePage(ctx, viewer, repo, issue);
  }
  return null;
}

export function createHtmlHandler(ctx: SandboxContext, viewerOf: (req: IncomingMessage) => string | null): HtmlHandler {
  return async (req, res, url) => {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return false;
    const parts = segments(url.pathname);
    const wantsHtml = /\btext\/html\b/.test(req.headers.accept ?? '');
    if (parts === null) return false;
    if (url.pathname === '/favicon.ico') {
      // Browsers ask for it on every page; a plain 404, not an "unknown endpoint" of the API.
      res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'max-age=86400' });
      res.end();
      return true;
    }
    if (!wantsHtml && parts.length > 0 && parts[0] !== 'apps' && !accountOf(ctx, parts[0])) return false;
    const viewer = viewerOf(req);
    const page = await route(ctx, viewer, parts);
    const status = page?.status ?? 404;
    const body = Buffer.from(page?.html ?? notFoundPage(viewer), 'utf8');
    res.writeHead(status, {
      'content-type': page?.contentType ?? 'text/html; charset=utf-8',
      'content-length': String(body.length),
      // No scripts, no framing, no sniffing: the pages carry user text.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  };
}
