/** Shared setup for sandbox tests: org `acme`, users, a repo, the App installed, Octokit clients. */
import { Octokit } from '@octokit/rest';
import { createAppAuth } from '@octokit/auth-app';
import type { TestSandbox } from './start.ts';

export interface World {
  inst: number;
  alice: { login: string; token: string };
  bob: { login: string; token: string };
  /** Octokit authenticated as the App's installation on acme */
  app: Octokit;
  /** Octokit as alice (user token) */
  asAlice: Octokit;
}

/** Octokit logger that stays silent (expected 4xx answers would otherwise fill the test output). */
export const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function appOctokit(sb: Pick<TestSandbox, 'baseUrl' | 'app'>, installationId: number, extra: Record<string, unknown> = {}): Octokit {
  return new Octokit({
    baseUrl: sb.baseUrl,
    log: quiet,
    authStrategy: createAppAuth,
    auth: { appId: sb.app.id, privateKey: sb.app.privateKeyPem, installationId, ...extra },
  });
}

export async function setupWorld(sb: TestSandbox, repos: string[] = ['web']): Promise<World> {
  const d = sb.driver;
  await d.createOrg('acme');
  const alice = await d.createUser('alice', { name: 'Alice' });
  const bob = await d.createUser('bob', { name: 'Bob' });
  for (const r of repos) {
    await d.createRepo('acme', r, { files: { 'README.md': `# ${r}\n`, 'src/app.txt': 'one\ntwo\nthree\n' } });
    await d.addCollaborator('acme', r, 'alice', 'write');
    await d.addCollaborator('acme', r, 'bob', 'admin');
  }
  const inst = await d.installApp('acme');
  return { inst, alice, bob, app: appOctokit(sb, inst), asAlice: new Octokit({ baseUrl: sb.baseUrl, log: quiet, auth: alice.token }) };
}
