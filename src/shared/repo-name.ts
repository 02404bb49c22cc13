import type { RepoRef } from '../github/port.ts';

/** `owner/repo` → RepoRef; throws on anything else. */
export function parseRepo(fullName: string): RepoRef {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(fullName);
  if (!m) throw new Error(`not a repository name: ${JSON.stringify(fullName)}`);
  return { owner: m[1], repo: m[2] };
}

export function repoName(ref: RepoRef): string {
  return `${ref.owner}/${ref.repo}`;
}
