/**
 * `unwind plan --map FILE --contracts DIR --targets T… [--links FILE] [--json] [--now ISO]`: the rollback
 * plan, offline. PR facts (titles, bodies with Depends-On lines, files, merge commits) come from --links.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYamlText } from 'yaml';
import type { Contract } from '../../config/contract-schema.ts';
import type { ConfigProblem } from '../../config/problem.ts';
import { fileProblem, formatProblem, hasErrors, sortProblems } from '../../config/problem.ts';
import { parseMap } from '../../config/parse-map.ts';
import { parseContract } from '../../config/parse-contract.ts';
import { mergeLayers } from '../../config/merge-config.ts';
import { CONTRACT_PATH } from '../../config/load-contract.ts';
import type { ContractAtHand } from '../../config/follow-extends.ts';
import { followExtendsOffline } from '../../config/follow-extends.ts';
import { ContractSchema } from '../../config/contract-schema.ts';
import { FactsFileSchema } from '../../planning/facts-schema.ts';
import { planRollback } from '../../planning/plan-rollback.ts';
import { renderPlanMarkdown } from '../../planning/render-plan-markdown.ts';
import type { CommitFacts, PullFacts } from '../../planning/types.ts';
import { readConfigFile } from '../read-config-file.ts';
import { positiveInteger } from '../parse-number.ts';

export interface PlanCliParams {
  readonly map: string;
  readonly contracts?: string;
  readonly targets: readonly string[];
  readonly links?: string;
  readonly json?: boolean;
  readonly now: Date;
  readonly maxPulls?: number;
  readonly cwd?: string;
}

export function runPlan(params: PlanCliParams): { output: string; exitCode: 0 | 1 } {
  const cwd = params.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const fail = (extra: string[] = []) => ({ output: `${[...sortProblems(problems).map(formatProblem), ...extra].join('\n')}\n`, exitCode: 1 as const });

  // 1. Configuration.
  const mapFile = resolve(cwd, params.map);
  const mapText = readConfigFile(mapFile, relative(cwd, mapFile), problems);
  const parsedMap = mapText === null ? null : parseMap({ file: relative(cwd, mapFile), text: mapText });
  if (parsedMap) problems.push(...parsedMap.problems);
  const contracts = params.contracts === undefined ? new Map<string, Contract>() : readContracts(resolve(cwd, params.contracts), cwd, problems);

  // 2. Facts.
  let pulls: PullFacts[] = [];
  let commits: CommitFacts[] = [];
  if (params.links !== undefined) {
    const file = resolve(cwd, params.links);
    const text = readConfigFile(file, params.links, problems, 'a JSON or YAML file');
    if (text !== null) {
      try {
        const result = FactsFileSchema.safeParse(/\.json$/i.test(file) ? JSON.parse(text) : parseYamlText(text, { maxAliasCount: 100 }));
        if (result.success) ({ pulls, commits } = result.data);
        else for (const i of result.error.issues.slice(0, 20)) problems.push(fileProblem(params.links, `${i.path.join('.') || 'file'}: ${i.message}`, 'expected a list of PR facts, or { pulls: [...], commits: [...] }'));
      } catch (err) {
        problems.push(fileProblem(params.links, `cannot parse: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`));
      }
    }
  }
  if (hasErrors(problems) || parsedMap?.map == null) return fail();

  // 3. Plan.
  const result = planRollback({
    targets: params.targets, map: parsedMap.map, contracts, pulls, commits, now: params.now,
    ...(params.maxPulls === undefined ? {} : { limits: { maxPulls: params.maxPulls } }),
  });
  const warnings = sortProblems(problems).map(formatProblem);
  if (params.json) return { output: `${JSON.stringify(result, null, 2)}\n`, exitCode: result.plan === null ? 1 : 0 };
  if (result.plan === null) return fail(result.errors.map((e) => `error: ${e.message}`).concat(result.warnings.map((w) => `warning: ${w.message}`)));
  return { output: [...warnings, renderPlanMarkdown(result.plan, { warnings: result.warnings })].join('\n'), exitCode: 0 };
}

/**
 * Contracts from DIR, keyed by repo: `DIR/<owner>/<repo>.yml` or a checkout layout
 * `DIR/<owner>/<repo>/.github/unwind.yml`. `_extends` to another repo's contract in DIR is merged;
 * loops and overlong chains are errors, as when loading from GitHub.
 */
function readContracts(dir: string, cwd: string, problems: ConfigProblem[]): Map<string, Contract> {
  const out = new Map<string, Contract>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push(fileProblem(relative(cwd, dir), 'the --contracts directory does not exist'));
    return out;
  }
  const atHand = new Map<string, ContractAtHand>();
  for (const owner of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const entry of readdirSync(join(dir, owner), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const m = /^(.+)\.ya?ml$/.exec(entry.name);
      const file = entry.isFile() && m ? join(dir, owner, entry.name) : entry.isDirectory() ? join(dir, owner, entry.name, '.github', 'unwind.yml') : null;
      if (file === null || !existsSync(file)) continue;
      const text = readConfigFile(file, relative(cwd, file), problems);
      if (text === null) continue;
      const parsed = parseContract({ file: relative(cwd, file), text });
      problems.push(...parsed.problems);
      const repo = m ? m[1] : entry.name;
      atHand.set(`${owner}/${repo}`.toLowerCase(), { owner, repo, path: CONTRACT_PATH, parsed });
    }
  }
  // Only repos' own contracts are at hand; an `_extends` target elsewhere is not available offline.
  const find = (owner: string | null, repo: string, path: string) =>
    owner !== null && path === CONTRACT_PATH ? atHand.get(`${owner}/${repo}`.toLowerCase()) : undefined;
  const reported = new Set<string>();
  for (const [repo, contract] of atHand) {
    const { layers, problem } = followExtendsOffline(contract, find);
    if (problem !== null) {
      const key = `${problem.file}:${problem.line}:${problem.col}:${problem.message}`;
      if (!reported.has(key)) problems.push(problem);
      reported.add(key);
      continue;
    }
    const result = ContractSchema.safeParse(mergeLayers(layers.map((l) => l.parsed.raw ?? {}).reverse()));
    if (result.success) out.set(repo, result.data);
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description('Print the rollback plan for targets, offline, from a dependency map, contracts and PR facts.')
    .requiredOption('--map <file>', 'dependency map (unwind/map.yml)')
    .option('--contracts <dir>', 'contracts as <dir>/<owner>/<repo>.yml or <dir>/<owner>/<repo>/.github/unwind.yml')
    .requiredOption('--targets <targets...>', 'owner/repo#N or owner/repo@sha (one or more)')
    .option('--links <file>', 'PR facts (JSON or YAML): a list of {repo, number, title, body, merged, mergedAt, mergeCommitSha, files, author}, or {pulls, commits}')
    .option('--json', 'print the plan as JSON ({plan, warnings, errors}) instead of markdown')
    .option('--now <iso>', 'the planning instant (default: now), for reproducible output')
    .option('--max-pulls <n>', 'most PRs in one plan (a positive integer)', positiveInteger)
    .action((opts: { map: string; contracts?: string; targets: string[]; links?: string; json?: boolean; now?: string; maxPulls?: number }) => {
      const now = opts.now === undefined ? new Date() : new Date(opts.now);
      if (Number.isNaN(now.getTime())) throw new Error(`--now "${opts.now}" is not an ISO date-time`);
      const result = runPlan({ ...opts, now });
      process.stdout.write(result.output);
      process.exitCode = result.exitCode;
    });
}
