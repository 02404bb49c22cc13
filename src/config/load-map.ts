/** Load the org's dependency map `unwind/map.yml` from the default branch of the org config repo. */
import type { GitHubPort } from '../github/port.ts';
import { emptyMap } from './map-schema.ts';
import type { ConfigProblem } from './problem.ts';
import type { LoadedMap } from './loaded.ts';
import { parseMap } from './parse-map.ts';
import { directoryProblem, readDefaultBranchFile } from './read-default-branch-file.ts';

export const MAP_PATH = 'unwind/map.yml';

export async function loadMap(
  port: GitHubPort,
  params: { org: string; configRepo?: string; path?: string },
): Promise<{ loaded: LoadedMap; problems: ConfigProblem[] }> {
  const repo = params.configRepo ?? '.github';
  const path = params.path ?? MAP_PATH;
  const file = await readDefaultBranchFile(port, { owner: params.org, repo }, path);
  if (file.kind === 'directory') {
    // Never "no map": an org that meant to have one would have its ordering silently dropped.
    return { loaded: { map: null, source: null }, problems: [directoryProblem(`${params.org}/${repo}:${path}`, path)] };
  }
  if (file.kind !== 'file') {
    const where = `${params.org}/${repo}:${path}`;
    return {
      loaded: { map: emptyMap(), source: null },
      problems: [{
        file: where, line: 1, col: 1, severity: 'warning', path: '',
        message: file.kind === 'no_repo' ? `org config repo ${params.org}/${repo} does not exist or is not readable; no dependency map` : `no dependency map at ${where}`,
        hint: 'without a map every repo is planned on its own, with no ordering between repos',
      }],
    };
  }
  const parsed = parseMap({ file: `${params.org}/${repo}:${path}`, text: file.text });
  return {
    loaded: { map: parsed.map, source: { repo: `${params.org}/${repo}`, path, commitSha: file.commitSha, blobSha: file.blobSha } },
    problems: parsed.problems,
  };
}
