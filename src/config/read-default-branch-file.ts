/** Read one file from a repo's default branch, pinned to the branch head's commit SHA. */
import type { DefaultBranchFileRead, GitHubPort, RepoRef } from '../github/port.ts';
import type { ConfigProblem } from './problem.ts';
import { fileProblem } from './problem.ts';

export type DefaultBranchFile = DefaultBranchFileRead;

export async function readDefaultBranchFile(port: GitHubPort, ref: RepoRef, path: string): Promise<DefaultBranchFile> {
  // One request where the port can (GraphQL), else three: the repository, its default branch's head, the file there.
  const read = port.readDefaultBranchFile ? await port.readDefaultBranchFile(ref, path) : null;
  if (read) return read;
  const info = await port.getRepo(ref);
  if (info === null) return { kind: 'no_repo' };
  const commitSha = await port.getBranchSha(ref, info.defaultBranch);
  if (commitSha === null) return { kind: 'missing', commitSha: '' }; // empty repository
  const file = await port.getFile(ref, path, commitSha);
  if (file !== null) return { kind: 'file', commitSha, blobSha: file.blobSha, text: file.text };
  // The port answers null for a directory as for nothing at all; only a listing tells them apart.
  const listing = await port.listDirectory(ref, path, commitSha);
  return listing === null ? { kind: 'missing', commitSha } : { kind: 'directory', commitSha };
}

/** The error for a directory found where a configuration file should be (`file` names it as problems do). */
export function directoryProblem(file: string, path: string): ConfigProblem {
  return fileProblem(file, `${path} is a directory, expected a YAML file`, `the configuration must be a file at ${path}; remove or rename the directory`);
}
