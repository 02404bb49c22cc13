/**
 * `unwind validate [--org-config DIR] [FILES…]`: check contracts, the dependency map and Rego policies
 * from a checkout (for CI). Prints `file:line:col: severity: message` per problem; exit code 1 on errors.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ConfigProblem } from '../../config/problem.ts';
import { fileProblem, formatProblem, sortProblems } from '../../config/problem.ts';
import { parseContract } from '../../config/parse-contract.ts';
import { parseMap } from '../../config/parse-map.ts';
import { CONTRACT_PATH } from '../../config/load-contract.ts';
import { MAP_PATH } from '../../config/load-map.ts';
import type { ContractAtHand } from '../../config/follow-extends.ts';
import { followExtendsOffline } from '../../config/follow-extends.ts';
import { readConfigFile } from '../read-config-file.ts';

export interface ValidateParams {
  readonly files: readonly string[];
  readonly orgConfig?: string;
  /** Directory relative paths are resolved and printed against (default: process.cwd()). */
  readonly cwd?: string;
}

export interface ValidateResult {
  readonly problems: ConfigProblem[];
  readonly checked: string[];
  readonly output: string;
  readonly exitCode: 0 | 1;
}

const POLICY_FILE = /(\.rego|^data\.(json|ya?ml))$/;

export async function runValidate(params: ValidateParams): Promise<ValidateResult> {
  const cwd = params.cwd ?? process.cwd();
  const label = (abs: string) => relative(cwd, abs) || abs;
  const problems: ConfigProblem[] = [];
  const checked: string[] = [];
  const maps: string[] = [];
  const contracts: string[] = [];
  const policies: string[] = [];
  let orgContract: string | null = null;

  // 1. Collect what to check.
  for (const f of params.files) {
    const abs = resolve(cwd, f);
    if (isMapPath(f)) maps.push(abs);
    else if (POLICY_FILE.test(basename(f))) policies.push(abs);
    else contracts.push(abs);
  }
  if (params.orgConfig !== undefined) {
    const root = resolve(cwd, params.orgConfig);
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      problems.push(fileProblem(label(root), `--org-config ${params.orgConfig} is not a directory`));
    } else {
      for (const p of [MAP_PATH, 'unwind/map.yaml']) if (existsSync(join(root, p))) maps.push(join(root, p));
      if (existsSync(join(root, CONTRACT_PATH))) {
        orgContract = join(root, CONTRACT_PATH);
        contracts.push(orgContract);
      }
      policies.push(...listFiles(join(root, 'unwind', 'policies')).filter((p) => POLICY_FILE.test(basename(p))));
    }
  }
  if (params.files.length === 0 && params.orgConfig === undefined) {
    for (const p of [CONTRACT_PATH, MAP_PATH]) if (existsSync(join(cwd, p))) (p === MAP_PATH ? maps : contracts).push(join(cwd, p));
    if (maps.length + contracts.length === 0) problems.push(fileProblem('.', `nothing to validate: no ${CONTRACT_PATH} or ${MAP_PATH} here`, 'name files to check, or pass --org-config DIR'));
  }

  // 2. Check each file; every problem of every file is reported.
  const read = (abs: string, expected?: string): string | null => {
    checked.push(label(abs));
    return readConfigFile(abs, label(abs), problems, expected);
  };
  for (const abs of maps) {
    const text = read(abs);
    if (text !== null) problems.push(...parseMap({ file: label(abs), text }).problems);
  }
  const atHand: ContractAtHand[] = [];
  for (const abs of contracts) {
    const text = read(abs);
    if (text === null) continue;
    const parsed = parseContract({ file: label(abs), text });
    problems.push(...parsed.problems);
    // The org config repo's owner is the org, whose name the checkout does not tell.
    const repo = abs === orgContract ? { owner: null, repo: ORG_CONFIG_REPO } : repoOfContract(abs);
    if (repo !== null) atHand.push({ ...repo, path: CONTRACT_PATH, parsed });
  }
  problems.push(...extendsProblems(atHand));
  const policyFiles = policies.flatMap((abs) => {
    const text = read(abs, 'a Rego or data file');
    return text === null ? [] : [{ path: label(abs), text }];
  });
  if (policyFiles.length > 0) problems.push(...(await checkPolicies(policyFiles)));

  // 3. Report.
  const sorted = sortProblems(problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const lines = sorted.map(formatProblem);
  lines.push(`${errors} error(s), ${sorted.length - errors} warning(s) in ${checked.length} file(s)`);
  return { problems: sorted, checked, output: `${lines.join('\n')}\n`, exitCode: errors > 0 ? 1 : 0 };
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('Validate rollback contracts, the dependency map and Rego policies from a checkout (for CI).')
    .argument('[files...]', `contract files (e.g. ${CONTRACT_PATH}), map files (named map.yml), or policy files (*.rego, data.json)`)
    .option('--org-config <dir>', `org config repo checkout: validates ${MAP_PATH}, ${CONTRACT_PATH} (org default contract) and unwind/policies/`)
    .addHelpText('after', '\nPrints one line per problem as file:line:col: severity: message, with a hint line when there is one.\nExits 1 when any problem is an error.')
    .action(async (files: string[], opts: { orgConfig?: string }) => {
      const result = await runValidate({ files, orgConfig: opts.orgConfig });
      process.stdout.write(result.output);
      process.exitCode = result.exitCode;
    });
}

/** The Rego engine is loaded only when there are policies to check (it is the heaviest part of the CLI). */
async function checkPolicies(files: Array<{ path: string; text: string }>): Promise<ConfigProblem[]> {
  try {
    const { validatePolicyFiles } = await import('../../policy/validate-policies.ts');
    return validatePolicyFiles(files).map((p) => ({ ...p, path: '' }));
  } catch (err) {
    return [fileProblem(files[0].path, `policies could not be checked: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, 'this is a bug in Unwind; please report it')];
  }
}

/** The org config repository (`<org>/.github`), where `--org-config` points. */
const ORG_CONFIG_REPO = '.github';

/**
 * The repository a contract file stands for, from its path: `<owner>/<repo>/.github/unwind.yml` (a
 * checkout) or `<owner>/<repo>.yml` (the layout of `unwind plan --contracts`).
 */
function repoOfContract(abs: string): { owner: string; repo: string } | null {
  const file = basename(abs);
  const dir = dirname(abs);
  if (/^unwind\.ya?ml$/.test(file) && basename(dir) === '.github') {
    const repoDir = dirname(dir);
    return repoDir === dirname(repoDir) ? null : { owner: basename(dirname(repoDir)), repo: basename(repoDir) };
  }
  const m = /^(.+)\.ya?ml$/.exec(file);
  return m === null || dir === dirname(dir) ? null : { owner: basename(dir), repo: m[1] };
}

/** `_extends` loops and overlong chains among the contracts at hand, each reported once, as when loading from GitHub. */
function extendsProblems(atHand: readonly ContractAtHand[]): ConfigProblem[] {
  const same = (a: string | null, b: string | null) => (a === null || b === null ? a === b : a.toLowerCase() === b.toLowerCase());
  const find = (owner: string | null, repo: string, path: string) => {
    if (path !== CONTRACT_PATH) return undefined;
    const named = atHand.filter((c) => c.repo.toLowerCase() === repo.toLowerCase());
    // An owner-qualified target may be the org config checkout, whose owner is unknown.
    return named.find((c) => same(c.owner, owner)) ?? named.find((c) => c.owner === null);
  };
  const out = new Map<string, ConfigProblem>();
  for (const contract of atHand) {
    const { problem } = followExtendsOffline(contract, find);
    if (problem !== null) out.set(`${problem.file}:${problem.line}:${problem.col}:${problem.message}`, problem);
  }
  return [...out.values()];
}

function isMapPath(f: string): boolean {
  const normal = f.replaceAll('\\', '/');
  return /(^|\/)map\.ya?ml$/.test(normal);
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < 10_000) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) stack.push(join(d, e.name));
      else if (e.isFile()) out.push(join(d, e.name));
    }
  }
  return out.sort();
}
