/**
 * `unwind serve` as a real child process against the sandbox, for crash tests that `kill -9` it: the
 * operator's view (a supervisor restarts it with the same configuration on the same port).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '../../../src/sandbox/types.ts';

const MAIN = join(import.meta.dirname, '..', '..', '..', 'src', 'cli', 'main.ts');

export interface ServeProcess {
  readonly url: string;
  /** Output so far (stdout and stderr), for failure messages. */
  output(): string;
  /** `kill -9`: no cleanup, no last words. Resolves when the process is gone. */
  kill9(): Promise<void>;
  /** SIGSTOP: the process freezes (a long GC pause, a paused VM) without knowing it. */
  freeze(): void;
  /** SIGCONT after freeze(). */
  thaw(): void;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `unwind serve` on `port` and waits for its "listening" line; the sandbox's webhooks go to it. */
/** `webhooks: 'elsewhere'`: the sandbox's webhooks are not pointed at this process (a load balancer is in front). */
/** `until: 'ready'`: waits for the "Unwind ready" line instead (its first reconciliation pass done). */
export async function startServe(p: { sandbox: Sandbox; port: number; workDir: string; env?: Record<string, string>; webhooks?: 'here' | 'elsewhere'; until?: 'listening' | 'ready' }): Promise<ServeProcess> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    APP_ID: String(p.sandbox.app.id),
    PRIVATE_KEY_PATH: p.sandbox.app.privateKeyPath,
    WEBHOOK_SECRET: p.sandbox.app.webhookSecret,
    GITHUB_BASE_URL: p.sandbox.baseUrl,
    UNWIND_WORK_DIR: p.workDir,
    LOG_LEVEL: process.env.UNWIND_TEST_LOG ?? 'warn',
    ...p.env,
  };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', String(p.port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  // Debugging aid: UNWIND_SERVE_LOG_DIR keeps each process's whole output in <dir>/serve-<port>.log.
  if (process.env.UNWIND_SERVE_LOG_DIR) child.stdout?.pipe(createWriteStream(join(process.env.UNWIND_SERVE_LOG_DIR, `serve-${p.port}.log`), { flags: 'a' }));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if ((p.until === 'ready' ? /^Unwind ready$/m : /listening on/).test(out)) resolve();
    };
    child.stdout?.on('data', onData);
    void exited.then(() => reject(new Error(`unwind serve exited before listening:\n${out}`)));
  });
  const url = `http://127.0.0.1:${p.port}`;
  if (p.webhooks !== 'elsewhere') p.sandbox.setWebhookUrl(`${url}/api/github/webhooks`);
  return {
    url,
    output: () => out,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    freeze() {
      child.kill('SIGSTOP');
    },
    thaw() {
      child.kill('SIGCONT');
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGCONT');
      child.kill('SIGTERM');
      // A graceful stop waits for each loop's next boundary; on a loaded machine that may take long.
      const hard = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(hard);
    },
  };
}
