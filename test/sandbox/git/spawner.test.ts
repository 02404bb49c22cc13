/** Short-lived gits go through the helper process (spawner.ts): same answers as a direct spawn, and an idle helper keeps nothing alive. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnGit } from '../../../src/sandbox/git/spawner.ts';
import { runGit } from '../../../src/sandbox/git/run-git.ts';
import { GitCommandError } from '../../../src/sandbox/git/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'unwind-spawner-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const env = { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };

describe('the git spawner', () => {
  it('passes input, returns exit codes and binary output intact, many at once', async () => {
    const gitDir = join(dir, 'repo.git');
    await spawnGit({ argv: ['init', '--quiet', '--bare', gitDir], env, input: '' });
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const blobs = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const content = Buffer.concat([bytes, Buffer.from(`#${i}`)]);
        const written = await runGit(['hash-object', '-w', '--stdin'], { gitDir, input: content });
        return { sha: written.stdout.toString('utf8').trim(), content };
      }),
    );
    const read = await Promise.all(blobs.map((b) => runGit(['cat-file', 'blob', b.sha], { gitDir })));
    read.forEach((r, i) => expect(r.stdout.equals(blobs[i]!.content)).toBe(true));
    // A failing command: its exit code and stderr, as a GitCommandError unless the code is expected.
    const missing = await runGit(['cat-file', '-e', '0'.repeat(40)], { gitDir, okCodes: [0, 1, 128] });
    expect(missing.code).not.toBe(0);
    await expect(runGit(['cat-file', 'blob', '0'.repeat(40)], { gitDir })).rejects.toBeInstanceOf(GitCommandError);
  });

  it('does not keep a process alive once its gits are done', async () => {
    // A process that runs one git through the spawner and then has nothing left to do must exit by itself.
    const script = `import { spawnGit } from ${JSON.stringify(new URL('../../../src/sandbox/git/spawner.ts', import.meta.url).href)};
const r = await spawnGit({ argv: ['--version'], env: { PATH: process.env.PATH ?? '' }, input: '' });
process.stdout.write(String(r.code) + ' ' + r.stdout.toString('utf8').split(' ')[0]);`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd(), timeout: 60_000 });
    expect(stdout).toBe('0 git');
  });
});
