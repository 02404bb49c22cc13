/** Octokit clients outside Probot: the CLI, drills (on their private sandbox) and the tests. */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { OctokitLike } from './octokit-like.ts';

export const DEFAULT_BASE_URL = 'https://api.github.com';

/** Octokit logs failed requests itself; the port reports them as `GitHubError`s instead. */
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A client authenticated with a personal or installation token. */
export function createTokenOctokit(options: { token: string; baseUrl?: string; userAgent?: string }): OctokitLike {
  return new Octokit({ log: quiet, auth: options.token, baseUrl: trimSlash(options.baseUrl ?? DEFAULT_BASE_URL), userAgent: options.userAgent ?? 'unwind' });
}

interface InstallationOptions {
  appId: number | string;
  privateKey: string;
  installationId: number;
  baseUrl?: string;
  userAgent?: string;
}

/** A client acting as one installation of a GitHub App (tokens are minted and refreshed by @octokit/auth-app). */
export function createInstallationOctokit(options: InstallationOptions): OctokitLike {
  return createInstallationAccess(options).octokit;
}

/** The installation's client, and its current token for git's http.extraHeader (never log it). */
export function createInstallationAccess(options: InstallationOptions): { octokit: OctokitLike; token(): Promise<string> } {
  const octokit = new Octokit({
    log: quiet,
    authStrategy: createAppAuth,
    auth: { appId: options.appId, privateKey: options.privateKey, installationId: options.installationId },
    baseUrl: trimSlash(options.baseUrl ?? DEFAULT_BASE_URL),
    userAgent: options.userAgent ?? 'unwind',
  });
  return { octokit, token: async () => ((await octokit.auth({ type: 'installation' })) as { token: string }).token };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
