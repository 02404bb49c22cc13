/** A GitHub that never answers: a request fails after its deadline, and a git command that hears nothing is killed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRevertBranch } from '../../src/git/revert-branch.ts';
import { timedFetch } from '../../src/github/timed-fetch.ts';

// Accepts connections and never writes a byte back.
let silent: Server;
let url: string;
const sockets = new Set<Socket>();
const work = mkdtempSync(join(tmpdir(), 'unwind-timeouts-'));

beforeAll(async () => {
  silent = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe('deadlines on work that would otherwise hang', () => {
  it('a request GitHub never answers fails with a timeout', async () => {
    const err = await timedFetch(fetch, 200)(`${url}/repos/acme/api`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('TimeoutError');
  });

  it("a caller's own abort still works alongside the deadline", async () => {
    const controller = new AbortController();
    const pending = timedFetch(fetch, 60_000)(`${url}/x`, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(((await pending) as Error).name).toBe('AbortError');
  });

  it('a git fetch from a server that never answers is killed, and the revert fails with an error', async () => {
    const failed = await createRevertBranch({
      cloneUrl: `${url}/acme/api.git`,
      token: 'ghs_test',
      baseBranch: 'main',
      branch: 'unwind/rb-x/1',
      reverts: [{ sha: 'a'.repeat(40), message: 'Revert' }],
      workRoot: work,
      identity: { name: 'Unwind', email: 'unwind@example.com' },
      silenceMs: 300,
    }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(/revert of unwind\/rb-x\/1 failed/);
    expect((failed as Error).message).not.toContain('ghs_test');
  });
});
