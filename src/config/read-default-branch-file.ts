/** Read one file from a repo's default branch, pinned to the branch head's commit SHA. */
import type { GitHubPort, RepoRef } from '../github/port.ts';

export type DefaultBranchFile =
  | { readonly kind: 'no_repo' }
  | { readonly kind: 'missing'; readonly commitSha: string }
  | { readonly kind: 'file'; readonly commitSha: string; readonly blobSha: string; readonly text: string };

export async function readDefaultBranchFile(port: GitHubPort, ref: RepoRef, path: string): Promise<DefaultBranchFile> {
  const info = await port.getRepo(ref);
  if (info === null) return { kind: 'no_repo' };
  const commitSha = await port.getBranchSha(ref, info.defaultBranch);
  if (commitSha === null) return { kind: 'missing', commitSha: '' }; // empty repository
  const file = await port.getFile(ref, path, commitSha);
  if (file === null) return { kind: 'missing', commitSha };
  return { kind: 'file', commitSha, blobSha: file.blobSha, text: file.text };
}
