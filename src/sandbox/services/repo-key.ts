/** The state key of a repo: `owner/name`, lower-cased (GitHub names are case-insensitive). */
import type { RepoState } from '../state/model.ts';

export function repoKey(repo: Pick<RepoState, 'owner' | 'name'>): string {
  return `${repo.owner}/${repo.name}`.toLowerCase();
}

export function keyOf(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}
