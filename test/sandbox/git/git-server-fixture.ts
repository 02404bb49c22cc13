import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createGitHttpHandler } from '../../../src/sandbox/git/http-handler.ts';
import type { GitHttpOptions, RefUpdate } from '../../../src/sandbox/git/http-handler.ts';

export const WRITE_TOKEN = 'ghs_write';
export const READ_TOKEN = 'ghs_read';

export interface SeenRequest {
  method: string;
  url: string;
  status: number;
  auth: boolean;
  gitProtocol?: string;
  contentEncoding?: string;
  chunked: boolean;
  /** the first bytes of the response body (latin1), to see what the backend spoke */
  bodyStart: string;
}

export interface PushEvent {
  owner: string;
  repo: string;
  updates: RefUpdate[];
  token: string | null;
}

/** A loopback HTTP server whose only routes are the git handler; records requests and pushes. */
export async function startGitServer(p: { reposRoot: string; protectedRefs?: Record<string, string[]> }) {
  const requests: SeenRequest[] = [];
  const pushes: PushEvent[] = [];
  const options: GitHttpOptions = {
    reposRoot: p.reposRoot,
    authorize: ({ token, access }) => {
      if (token === WRITE_TOKEN) return 'ok';
      if (token === READ_TOKEN) return access === 'read' ? 'ok' : 'forbidden';
      return 'unauthorized';
    },
    onPush: (event) => {
      pushes.push(event);
    },
    isProtected: ({ owner, repo, ref }) => (p.protectedRefs?.[`${owner}/${repo}`] ?? []).includes(ref),
  };
  const handle = createGitHttpHandler(options);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let bodyStart = '';
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (bodyStart.length < 64 && (Buffer.isBuffer(chunk) || typeof chunk === 'string')) bodyStart += Buffer.from(chunk).toString('latin1').slice(0, 64);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.on('finish', () =>
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        status: res.statusCode,
        auth: req.headers.authorization !== undefined,
        gitProtocol: req.headers['git-protocol'] as string | undefined,
        contentEncoding: req.headers['content-encoding'],
        chunked: /chunked/.test(req.headers['transfer-encoding'] ?? ''),
        bodyStart,
      }),
    );
    handle(req, res, url.pathname, url.search).then(
      (handled) => {
        if (!handled) res.writeHead(418).end('not git');
      },
      (err: Error) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    pushes,
    handle,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** process.env without GIT_* (this machine sets GIT_SSL_CAINFO) and without user/system config. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_') && v !== undefined) env[k] = v;
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0', ...extra };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real git CLI (argv array, clean env) and returns its exit code and output. */
export function git(cwd: string, args: string[], input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      ['-c', 'user.name=Tester', '-c', 'user.email=tester@example.com', '-c', 'init.defaultBranch=main', ...args],
      { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.on('error', () => {}); // git may exit before reading stdin; its exit code tells
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
  });
}

export async function mustGit(cwd: string, args: string[], input?: string): Promise<string> {
  const r = await git(cwd, args, input);
  if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
