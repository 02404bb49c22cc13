/**
 * Load a repo's rollback contract through the GitHub port, from default branches only, following
 * Probot's config conventions: the repo's `.github/unwind.yml`; when it has none, the same path in the
 * org config repo (default `.github`); then every `_extends` target in turn (loops and chains longer
 * than MAX_EXTENDS are errors). Layers are merged with mergeLayers.
 */
import type { GitHubPort, RepoRef } from '../github/port.ts';
import type { Contract } from './contract-schema.ts';
import { ContractSchema, defaultContract } from './contract-schema.ts';
import type { ConfigProblem } from './problem.ts';
import { fileProblem } from './problem.ts';
import type { ConfigSource, LoadedContract } from './loaded.ts';
import type { ParsedContract } from './parse-contract.ts';
import { parseContract } from './parse-contract.ts';
import { parseExtends } from './parse-extends.ts';
import { mergeLayers } from './merge-config.ts';
import { locate } from './locate.ts';
import { extendsHopProblem, extendsLabel, extendsProblem } from './follow-extends.ts';
import { directoryProblem, readDefaultBranchFile } from './read-default-branch-file.ts';

export const CONTRACT_PATH = '.github/unwind.yml';
export { MAX_EXTENDS } from './follow-extends.ts';

export interface LoadContractParams {
  readonly owner: string;
  readonly repo: string;
  /** Org config repo name (default `.github`). */
  readonly configRepo?: string;
  readonly path?: string;
}

export async function loadContract(port: GitHubPort, params: LoadContractParams): Promise<{ loaded: LoadedContract; problems: ConfigProblem[] }> {
  const { owner, repo } = params;
  const configRepo = params.configRepo ?? '.github';
  const path = params.path ?? CONTRACT_PATH;
  const name = `${owner}/${repo}`;
  const problems: ConfigProblem[] = [];
  const fail = (commitSha: string, sources: ConfigSource[]) => ({
    loaded: { repo: name, contract: null, isDefault: false, commitSha, sources, serviceAt: null },
    problems,
  });

  // 1. The repo's own file, at its default branch head.
  const own = await readDefaultBranchFile(port, { owner, repo }, path);
  if (own.kind === 'no_repo') {
    problems.push(fileProblem(`${name}:${path}`, `repository ${name} does not exist or Unwind cannot read it`, 'install the app on the repository, or fix the name'));
    return fail('', []);
  }
  const commitSha = own.commitSha;
  if (own.kind === 'directory') {
    problems.push(directoryProblem(`${name}:${path}`, path));
    return fail(commitSha, []);
  }
  const chain: Array<{ source: ConfigSource; parsed: ParsedContract }> = [];
  let next: { ref: RepoRef; path: string; from: string | null } | null = null;
  if (own.kind === 'file') chain.push(parsedLayer(name, path, own.commitSha, own.blobSha, own.text));
  else if (repo.toLowerCase() !== configRepo.toLowerCase()) next = { ref: { owner, repo: configRepo }, path, from: null };

  // 2. The org default (only when the repo has no file), then the `_extends` chain.
  for (let hops = 0; ; hops++) {
    if (next === null) {
      const last = chain[chain.length - 1];
      const ext = last?.parsed.extends ?? null;
      if (ext === null) break;
      const target = parseExtends(ext, { owner, path })!;
      next = { ref: { owner: target.owner, repo: target.repo }, path: target.path, from: last.parsed.file };
    }
    const label = extendsLabel(next.ref.owner, next.ref.repo, next.path);
    const hop = chain.length === 0 ? null : extendsHopProblem(chain.map((l) => `${l.source.repo}:${l.source.path}`), label, hops, chain[chain.length - 1].parsed);
    if (hop !== null) {
      problems.push(hop);
      return fail(commitSha, chain.map((l) => l.source));
    }
    const file = await readDefaultBranchFile(port, next.ref, next.path);
    if (file.kind === 'directory') {
      problems.push(directoryProblem(label, next.path));
      return fail(commitSha, chain.map((l) => l.source));
    }
    if (file.kind !== 'file') {
      if (next.from === null) break; // no org default: the built-in defaults apply
      problems.push(extendsProblem(chain[chain.length - 1].parsed, `_extends points to ${label}, which does not exist`, 'fix the `_extends` value or create that file'));
      return fail(commitSha, chain.map((l) => l.source));
    }
    chain.push(parsedLayer(`${next.ref.owner}/${next.ref.repo}`, next.path, file.commitSha, file.blobSha, file.text));
    next = null;
  }

  // 3. Merge, most general first.
  const sources = chain.map((l) => l.source);
  for (const layer of chain) problems.push(...layer.parsed.problems);
  if (chain.some((l) => l.parsed.raw === null || l.parsed.contract === null)) return fail(commitSha, sources);
  if (chain.length === 0) {
    return { loaded: { repo: name, contract: defaultContract(), isDefault: true, commitSha, sources, serviceAt: null }, problems };
  }
  const merged = mergeLayers(chain.map((l) => l.parsed.raw!).reverse());
  const result = ContractSchema.safeParse(merged);
  if (!result.success) {
    problems.push(fileProblem(chain[0].parsed.file, `the merged contract is invalid: ${result.error.issues.map((i) => i.message).join('; ')}`));
    return fail(commitSha, sources);
  }
  const contract: Contract = result.data;
  const setter = chain.find((l) => typeof l.parsed.raw!.service === 'string');
  const serviceAt = setter ? { file: setter.parsed.file, ...pick(locate(setter.parsed.source, ['service'])) } : null;
  return { loaded: { repo: name, contract, isDefault: false, commitSha, sources, serviceAt }, problems };
}

function parsedLayer(repo: string, path: string, commitSha: string, blobSha: string, text: string) {
  return { source: { repo, path, commitSha, blobSha }, parsed: parseContract({ file: `${repo}:${path}`, text }) };
}

function pick(l: { line: number; col: number }): { line: number; col: number } {
  return { line: l.line, col: l.col };
}
