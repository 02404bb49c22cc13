import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import { readFileSync } from 'node:fs';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const main = join(process.cwd(), 'src', 'cli', 'main.ts');

function run(args: string[]): { child: ReturnType<typeof spawn>; firstLine: Promise<string>; exit: Promise<number | null>; output: () => string } {
  const child = spawn(tsx, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const i = out.indexOf('\n');
      if (i >= 0) resolve(out.slice(0, i));
    });
    child.on('exit', () => reject(new Error(`exited before printing: ${err}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, firstLine, exit, output: () => out + err };
}

describe('unwind sandbox (CLI)', () => {
  it('--help describes the options', async () => {
    const r = run(['sandbox', '--help']);
    expect(await r.exit).toBe(0);
    expect(r.output()).toMatch(/--dir <dir>/);
    expect(r.output()).toMatch(/--json/);
  });

  it('--json prints one line with what an app needs, serves the demo org, and stops cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unwind-cli-sandbox-'));
    const r = run(['sandbox', '--dir', dir, '--json']);
    try {
      const info = JSON.parse(await r.firstLine) as { baseUrl: string; appId: number; privateKeyPath: string; webhookSecret: string; installationId: number };
      expect(Object.keys(info).sort()).toEqual(['appId', 'baseUrl', 'installationId', 'privateKeyPath', 'webhookSecret']);
      const octo = new Octokit({
        baseUrl: info.baseUrl,
        authStrategy: createAppAuth,
        auth: { appId: info.appId, privateKey: readFileSync(info.privateKeyPath, 'utf8'), installationId: info.installationId },
      });
      const repos = await octo.paginate(octo.rest.apps.listReposAccessibleToInstallation);
      expect(repos.map((x) => x.full_name).sort()).toEqual(['acme/.github', 'acme/api', 'acme/billing', 'acme/schema', 'acme/web']);
      const perm = await octo.rest.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'web', username: 'bob' });
      expect(perm.data.role_name).toBe('maintain');
      const team = await octo.rest.teams.getMembershipForUserInOrg({ org: 'acme', team_slug: 'sre', username: 'bob' });
      expect(team.data.state).toBe('active');
      const commits = await octo.rest.repos.listCommits({ owner: 'acme', repo: 'api' });
      expect(commits.data.length).toBeGreaterThanOrEqual(2);
    } finally {
      r.child.kill('SIGTERM');
      expect(await r.exit).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
