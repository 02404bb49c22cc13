/**
 * `unwind plan --map FILE --contracts DIR --targets T… [--links FILE | --base-url URL --token T] [--json] [--now ISO]`:
 * the rollback plan. PR facts (titles, bodies with Depends-On lines, files, merge commits) come from --links,
 * or from GitHub with --base-url/--token (as `unwind audit` reads it); without either, the targets are
 * planned as given from the map and contracts alone, with a warning that Depends-On expansion needs facts.
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
import { gatherPullFacts } from '../../app/gather-pull-facts.ts';
import { parseTarget } from '../../planning/parse-target.ts';
import type { PlanMessage } from '../../planning/types.ts';
import { createOctokitPort } from '../../github/octokit-adapter.ts';
import { createTokenOctokit, DEFAULT_BASE_URL } from '../../github/create-octokit.ts';

/** How far back merged PRs are candidate dependents when facts come from GitHub (as for /rollback). */
const DEPENDENT_WINDOW_MS = 30 * 24 * 3600_000;

export interface PlanCliParams {
  readonly map: string;
  readonly contracts?: string;
  readonly targets: readonly string[];
  readonly links?: string;
  readonly json?: boolean;
  readonly now: Date;
  readonly maxPulls?: number;
  readonly cwd?: string;
  /** Facts already fetched from GitHub (see fetchPlanFacts); used when there is no --links file. */
  readonly fetched?: { readonly pulls: PullFacts[]; readonly commits: CommitFacts[]; readonly warnings: readonly PlanMessage[] };
}

/** A placeholder for what only PR facts can tell (a merge commit), shown as such in the plan. */
export const UNKNOWN_WITHOUT_FACTS = 'unknown (no PR facts)';

/**
 * Without PR facts, each target is taken as given: a merged PR or a commit of its repository, with no
 * Depends-On lines and no files, so the plan covers the targets' own services and the map's order only.
 */
function factsOfTargetsAlone(targets: readonly string[], now: Date): { pulls: PullFacts[]; commits: CommitFacts[] } {
  const pulls: PullFacts[] = [];
  const commits: CommitFacts[] = [];
  for (const text of targets) {
    const t = parseTarget(text);
    if (t === null) continue; // the planner reports it
    if (t.kind === 'pull') pulls.push({ repo: t.repo, number: t.number, title: `${t.repo}#${t.number}`, body: '', merged: true, mergedAt: now.toISOString(), mergeCommitSha: UNKNOWN_WITHOUT_FACTS, files: [], author: 'unknown' });
    else commits.push({ repo: t.repo, sha: t.sha, parents: 1, message: '', committedAt: now.toISOString(), files: [], author: null });
  }
  return { pulls, commits };
}

/** PR facts from GitHub for the targets and the map's repositories, as the App gathers them for /rollback. */
export async function fetchPlanFacts(p: { baseUrl: string; token: string; targets: readonly string[]; mapFile: string; cwd?: string; now: Date; maxPulls?: number }): Promise<NonNullable<PlanCliParams['fetched']> | { problem: string }> {
  const cwd = p.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const file = resolve(cwd, p.mapFile);
  const text = readConfigFile(file, relative(cwd, file), problems);
  const map = text === null ? null : parseMap({ file: relative(cwd, file), text }).map;
  if (map == null) return { problem: problems.map(formatProblem).join('\n') || `${p.mapFile}: the map cannot be read` };
  const repos = [...new Set([...Object.values(map.services).map((s) => s.repo), ...p.targets.flatMap((t) => parseTarget(t)?.repo ?? [])])].sort();
  const port = createOctokitPort(createTokenOctokit({ token: p.token, baseUrl: p.baseUrl }));
  try {
    const facts = await gatherPullFacts(port, { targets: p.targets, repos, since: new Date(p.now.getTime() - DEPENDENT_WINDOW_MS), ...(p.maxPulls === undefined ? {} : { maxPulls: p.maxPulls }) });
    return { pulls: facts.pulls, commits: facts.commits, warnings: facts.warnings };
  } catch (err) {
    return { problem: `cannot read PR facts from ${p.baseUrl}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function runPlan(params: PlanCliParams): { output: string; exitCode: 0 | 1; stderr?: string } {
  const cwd = params.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const fail = (extra: string[] = []) => ({ output: `${[...sortProblems(problems).map(formatProblem), ...extra].join('\n')}\n`, exitCode: 1 as const });

  // 1. Configuration.
  const mapFile = resolve(cwd, params.map);
  const mapText = readConfigFile(mapFile, relative(cwd, mapFile), problems);
  const parsedMap = mapText === null ? null : parseMap({ file: relative(cwd, mapFile), text: mapText });
  if (parsedMap) problems.push(...parsedMap.problems);
  const contracts = params.contracts === undefined ? new Map<string, Contract>() : readContracts(resolve(cwd, params.contracts), cwd, problems);

  // 2. Facts: a --links file, fetched from GitHub, or the targets alone.
  let pulls: PullFacts[] = [];
  let commits: CommitFacts[] = [];
  const factWarnings: string[] = [];
  if (params.links === undefined && params.fetched !== undefined) {
    ({ pulls, commits } = params.fetched);
    factWarnings.push(...params.fetched.warnings.map((w) => `warning: ${w.message}`));
  } else if (params.links === undefined) {
    ({ pulls, commits } = factsOfTargetsAlone(params.targets, params.now));
    factWarnings.push('warning: no PR facts (--links FILE, or --base-url/--token to read them from GitHub): the targets are planned as given; Depends-On expansion and path-based services need PR facts, and merge commits show as unknown');
  }
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
  const warnings = [...sortProblems(problems).map(formatProblem), ...factWarnings];
  if (params.json) return { output: `${JSON.stringify(result, null, 2)}\n`, exitCode: result.plan === null ? 1 : 0, ...(factWarnings.length ? { stderr: `${factWarnings.join('\n')}\n` } : {}) };
  if (result.plan === null) return fail(result.errors.map((e) => `error: ${e.message}`).concat(result.warnings.map((w) => `warning: ${w.message}`), factWarnings));
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
  // `_extends` targets (parsed by followExtendsOffline: `repo`, `owner/repo`, `…:path/file.yml`): a repo's own
  // contract as above, or another file of a checkout `DIR/<owner>/<repo>/<path>`. Anything else is not at
  // hand offline, which is said once per target rather than silently dropped.
  const extra = new Map<string, ContractAtHand | undefined>();
  const find = (owner: string | null, repo: string, path: string): ContractAtHand | undefined => {
    if (owner === null) return undefined;
    if (path === CONTRACT_PATH) {
      const own = atHand.get(`${owner}/${repo}`.toLowerCase());
      if (own) return own;
    }
    const key = `${owner}/${repo}:${path}`.toLowerCase();
    if (extra.has(key)) return extra.get(key);
    const file = join(dir, owner, repo, ...path.split('/'));
    let found: ContractAtHand | undefined;
    if (!path.split('/').includes('..') && existsSync(file) && statSync(file).isFile()) {
      const text = readConfigFile(file, relative(cwd, file), problems);
      if (text !== null) {
        const parsed = parseContract({ file: relative(cwd, file), text });
        problems.push(...parsed.problems);
        found = { owner, repo, path, parsed };
      }
    } else {
      problems.push({ ...fileProblem(relative(cwd, dir), `_extends target ${owner}/${repo}:${path} is not in the --contracts directory (looked for ${relative(cwd, file)}); its settings are left out of this plan`), severity: 'warning' });
    }
    extra.set(key, found);
    return found;
  };
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
    .option('--base-url <url>', `read PR facts from GitHub's REST API instead (default with --token: $GITHUB_API_URL or ${DEFAULT_BASE_URL})`)
    .option('--token <token>', 'token that can read the repositories\' PRs (prefer the GITHUB_TOKEN environment variable)')
    .option('--json', 'print the plan as JSON ({plan, warnings, errors}) instead of markdown')
    .option('--now <iso>', 'the planning instant (default: now), for reproducible output')
    .option('--max-pulls <n>', 'most PRs in one plan (a positive integer)', positiveInteger)
    .action(async (opts: { map: string; contracts?: string; targets: string[]; links?: string; json?: boolean; now?: string; maxPulls?: number; baseUrl?: string; token?: string }) => {
      const now = opts.now === undefined ? new Date() : new Date(opts.now);
      if (Number.isNaN(now.getTime())) throw new Error(`--now "${opts.now}" is not an ISO date-time`);
      const online = githubSource(opts, process.env);
      let fetched: PlanCliParams['fetched'];
      if (online !== null) {
        const facts = await fetchPlanFacts({ ...online, targets: opts.targets, mapFile: opts.map, now, ...(opts.maxPulls === undefined ? {} : { maxPulls: opts.maxPulls }) });
        if ('problem' in facts) {
          process.stderr.write(`unwind plan: ${facts.problem}\n`);
          process.exitCode = 1;
          return;
        }
        fetched = facts;
      }
      const { baseUrl: _b, token: _t, ...rest } = opts;
      const result = runPlan({ ...rest, now, ...(fetched ? { fetched } : {}) });
      process.stdout.write(result.output);
      if (result.stderr) process.stderr.write(result.stderr);
      process.exitCode = result.exitCode;
    });
}

/** `--base-url`/`--token` (token also from GITHUB_TOKEN or GH_TOKEN once either option asks for GitHub); null: offline. */
export function githubSource(opts: { links?: string; baseUrl?: string; token?: string }, env: NodeJS.ProcessEnv): { baseUrl: string; token: string } | null {
  if (opts.baseUrl === undefined && opts.token === undefined) return null;
  if (opts.links !== undefined) throw new Error('--links and --base-url/--token both give PR facts: use one');
  const token = (opts.token ?? env.GITHUB_TOKEN ?? env.GH_TOKEN ?? '').trim();
  if (token === '') throw new Error('no credentials: set GITHUB_TOKEN (or pass --token) to a token that can read the pull requests of the targets and the map\'s repositories');
  const baseUrl = opts.baseUrl ?? env.GITHUB_API_URL ?? DEFAULT_BASE_URL;
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl)) throw new Error(`--base-url must be an http(s) URL, got ${JSON.stringify(baseUrl)}`);
  return { baseUrl: baseUrl.replace(/\/+$/, ''), token };
}
