import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../../shared/logger.ts';
import { BareRepo } from './bare-repo.ts';
import { diffRefs } from './diff-refs.ts';
import type { RefUpdate } from './diff-refs.ts';
import { gitEnv } from './git-env.ts';
import { parseGitUrl } from './parse-git-url.ts';
import type { GitUrl } from './parse-git-url.ts';
import { peekPushCommands } from './peek-push-commands.ts';
import type { PeekedBody } from './peek-push-commands.ts';
import { PROTECTED_REFS_ENV, ensureProtectHook } from './protect-hook.ts';
import { readToken } from './read-token.ts';
import { withRepoLock } from './repo-lock.ts';
import { runHttpBackend } from './run-http-backend.ts';

export type { RefUpdate } from './diff-refs.ts';
export type GitAccess = 'read' | 'write';
export type AuthDecision = 'ok' | 'unauthorized' | 'forbidden' | 'not_found';

export interface GitHttpOptions {
  /** repos live at `${reposRoot}/${owner}/${repo}.git` */
  reposRoot: string;
  /** token = password of Basic auth (or null without an Authorization header) */
  authorize(p: { token: string | null; owner: string; repo: string; access: GitAccess }): AuthDecision;
  /**
   * Called after a receive-pack POST changed refs (not called when nothing changed), before the
   * response is ended: the client's `git push` returns only after this resolves, so keep it quick
   * (queue webhooks rather than awaiting their delivery). Errors are logged, not sent to the client.
   */
  onPush(p: { owner: string; repo: string; updates: RefUpdate[]; token: string | null }): void | Promise<void>;
  /** refs that direct pushes may not update (branch protection): rejected with GitHub's GH006 message */
  isProtected?(p: { owner: string; repo: string; ref: string }): boolean;
  logger?: Logger;
}

type Handler = (req: IncomingMessage, res: ServerResponse, pathname: string, search: string) => Promise<boolean>;

function reject(res: ServerResponse, decision: Exclude<AuthDecision, 'ok'>, url: GitUrl, token: string | null): void {
  const [status, body, headers] =
    decision === 'unauthorized'
      ? [401, token === null ? '' : 'Invalid username or token. Password authentication is not supported for Git operations.\n', { 'WWW-Authenticate': 'Basic realm="GitHub"' }]
      : decision === 'forbidden'
        ? [403, `Permission to ${url.owner}/${url.repo}.git denied.\n`, {}]
        : [404, 'Repository not found.\n', {}];
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** CGI variables for one request (the token itself never enters the environment). */
function cgiEnv(opts: GitHttpOptions, req: IncomingMessage, url: GitUrl, search: string, token: string | null, extraConfig: Record<string, string>, extraEnv: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: path.resolve(opts.reposRoot),
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: url.pathInfo,
    QUERY_STRING: search.replace(/^\?/, ''),
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...extraEnv,
  };
  if (token !== null) env.REMOTE_USER = 'x-access-token';
  const protocol = req.headers['git-protocol'];
  if (typeof protocol === 'string' && /^[A-Za-z0-9=:.,_-]+$/.test(protocol)) env.GIT_PROTOCOL = protocol;
  const encoding = req.headers['content-encoding'];
  if (typeof encoding === 'string') env.HTTP_CONTENT_ENCODING = encoding;
  const chunked = /chunked/i.test(req.headers['transfer-encoding'] ?? '');
  if (!chunked && req.headers['content-length'] !== undefined) env.CONTENT_LENGTH = req.headers['content-length'];
  // refs/pull/* is read-only on GitHub: receive-pack refuses hidden refs
  return gitEnv({ 'http.receivepack': 'true', 'receive.hideRefs': 'refs/pull', 'receive.denyDeleteCurrent': 'refuse', ...extraConfig }, env);
}

/**
 * Serves GitHub-style git smart HTTP from bare repos through git-http-backend. Resolves false (and
 * writes nothing) when the URL is not a git URL, so the same server can serve REST.
 */
export function createGitHttpHandler(opts: GitHttpOptions): Handler {
  const log = opts.logger;

  async function push(req: IncomingMessage, res: ServerResponse, url: GitUrl, search: string, token: string | null, repoPath: string): Promise<void> {
    let peeked: PeekedBody;
    try {
      peeked = await peekPushCommands(req, /gzip/i.test(req.headers['content-encoding'] ?? ''));
    } catch (err) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`);
      return;
    }
    const isProtected = opts.isProtected;
    const guarded = isProtected ? peeked.commands.map((c) => c.ref).filter((ref) => isProtected({ owner: url.owner, repo: url.repo, ref })) : [];
    const hookConfig: Record<string, string> = guarded.length > 0 ? { 'core.hooksPath': await ensureProtectHook(opts.reposRoot) } : {};
    const env = cgiEnv(opts, req, url, search, token, hookConfig, { [PROTECTED_REFS_ENV]: guarded.join('\n') });
    const repo = BareRepo.open(repoPath);
    const updates = await withRepoLock(repoPath, async () => {
      const before = await repo.listRefs();
      const result = await runHttpBackend({ req, res, env, prefix: peeked });
      if (result.exitCode !== 0) log?.warn({ owner: url.owner, repo: url.repo, exitCode: result.exitCode, stderr: result.stderr.slice(0, 2000) }, 'git receive-pack failed');
      return diffRefs(before, await repo.listRefs());
    });
    if (updates.length > 0) {
      try {
        await opts.onPush({ owner: url.owner, repo: url.repo, updates, token });
      } catch (err) {
        log?.error({ err, owner: url.owner, repo: url.repo }, 'onPush failed');
      }
    }
  }

  return async (req, res, pathname, search) => {
    const url = parseGitUrl(pathname, search);
    if (url === null) return false;
    const token = readToken(req.headers);
    const access: GitAccess = url.service === 'git-receive-pack' ? 'write' : 'read';
    const repoPath = path.join(opts.reposRoot, url.owner, `${url.repo}.git`);
    let decision = opts.authorize({ token, owner: url.owner, repo: url.repo, access });
    if (decision === 'ok' && !existsSync(path.join(repoPath, 'HEAD'))) decision = 'not_found';
    if (decision !== 'ok') {
      reject(res, decision, url, token);
      return true;
    }
    if (url.kind === 'rpc' && url.service === 'git-receive-pack' && req.method === 'POST') {
      await push(req, res, url, search, token, repoPath);
    } else {
      const result = await runHttpBackend({ req, res, env: cgiEnv(opts, req, url, search, token, {}, {}) });
      if (result.exitCode !== 0) log?.warn({ owner: url.owner, repo: url.repo, exitCode: result.exitCode, stderr: result.stderr.slice(0, 2000) }, 'git http-backend failed');
    }
    if (!res.writableEnded) res.end();
    return true;
  };
}
