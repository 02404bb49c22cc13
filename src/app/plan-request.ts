/**
 * From a command's targets to a plan: the org's map and every mapped repo's contract (default
 * branches only), the PR facts (targets and `Depends-On:` dependents), then the pure planner.
 * Any configuration error stops here with a reply listing every problem as `file:line:col`.
 */
import type { PullRefs } from './plan-to-steps.ts';
import type { Target } from '../commands/parse-command.ts';
import { loadConfiguration } from '../config/load-configuration.ts';
import { loadMap } from '../config/load-map.ts';
import type { Contract } from '../config/contract-schema.ts';
import type { ConfigProblem } from '../config/problem.ts';
import type { RollbackState } from '../execution/state.ts';
import { gatherPullFacts, readDeferredFiles } from './gather-pull-facts.ts';
import { pullKey } from '../planning/parse-target.ts';
import { planRollback } from '../planning/plan-rollback.ts';
import { renderPlanMarkdown } from '../planning/render-plan-markdown.ts';
import type { PlanMessage, RollbackPlan } from '../planning/types.ts';
import { mdText } from '../shared/markdown.ts';
import type { CommandEnv } from './command-env.ts';
import { quotableIn, type ActorAccess } from './actor-access.ts';
import { memoReads } from './memo-reads.ts';
import type { GitHubPort } from '../github/port.ts';
import { outlineOf, sameOutline, type MapOutline } from '../config/known-maps.ts';

export const CONFIG_REPO = '.github';

/** The org config repo of `org` (`<org>/.github`): map, policies, registry. */
export function configRepoOf(org: string): string {
  return `${org}/${CONFIG_REPO}`;
}
/** How far back merged PRs are searched for `Depends-On:` links to the targets. */
export const DEPENDENT_WINDOW_MS = 30 * 24 * 3600 * 1000;

export type PlanRequestResult =
  | {
      ok: true;
      plan: RollbackPlan;
      markdown: string;
      warnings: string[];
      contracts: RollbackState['contracts'];
      configRepo: string;
      mapPaused: boolean;
      /** Repositories the plan's contracts took configuration from with `_extends` (besides their own and the org config repo). */
      extendsFrom: string[];
      /** GitHub's names of the PRs read while planning (head branch, GraphQL id): the steps keep them for GitHub's revert. */
      pullRefs: PullRefs;
    }
  | { ok: false; message: string };

export interface PlanRequestParams {
  readonly org: string;
  readonly targets: readonly Target[];
  readonly now: Date;
  /** Who asked, and where the reply goes: problems in files of other private repositories are not quoted there. */
  readonly access: ActorAccess;
  readonly replyRepo: string;
  /** The command's read snapshot (memo-reads.ts) when the caller reads the same files too; else one of its own. */
  readonly reads?: GitHubPort;
}

/** Requests in flight at once while planning (GitHub allows 100 per installation; the loaders default to 6 and 8). */
const PLAN_READS_AT_ONCE = 16;

export async function planRequest(env: CommandEnv, p: PlanRequestParams): Promise<PlanRequestResult> {
  // One snapshot of the reads: the map is needed by step 1 and by the configuration loader.
  const port = p.reads ?? memoReads(env.client.port);
  const targets = p.targets.map((t) => (t.kind === 'pull' ? `${t.owner}/${t.repo}#${t.number}` : `${t.owner}/${t.repo}@${t.sha}`));
  // 1. Which repos matter: every repo of the map, plus the targets' repos. 2. Map and contracts, all problems
  // together; 3. facts about the targets and their dependents, read at the same time (they need only the map's
  // repositories; a configuration error discards them unused). A candidate's files (one read of its merge commit
  // each) are read before planning only where they tell services apart; the PRs the plan selects get theirs
  // after, and the plan is made again on complete facts. The plan's repositories are those of its targets and of
  // PRs with `Depends-On:` lines: the actor's permission on each (asked once the plan is made) is read as soon as
  // the listings find one there.
  // The map, loaded (read and parsed) once: planning's outline and the configuration loader share it.
  const mapLoading = loadMap(port, { org: p.org, configRepo: CONFIG_REPO });
  const readsFor = (outline: MapOutline) => {
    const repos = [...new Set([...outline.repos, ...p.targets.map((t) => `${t.owner}/${t.repo}`)])].sort();
    const shared = new Set(outline.shared);
    const gathering = gatherPullFacts(port, {
      targets,
      repos,
      since: new Date(p.now.getTime() - DEPENDENT_WINDOW_MS),
      concurrency: PLAN_READS_AT_ONCE,
      filesNow: (repo) => shared.has(repo.toLowerCase()),
      onCandidateRepo: (repo) => void p.access.permission(repo).catch(() => undefined),
    });
    const configuring = loadConfiguration(port, { org: p.org, repos, configRepo: CONFIG_REPO, concurrency: PLAN_READS_AT_ONCE, map: mapLoading });
    gathering.catch(() => undefined);
    configuring.catch(() => undefined);
    return { outline, gathering, configuring };
  };
  // Those reads start from the map this replica last saw the org with, while the map is read (config/known-maps.ts),
  // and are kept if the map read now names the same repositories.
  const known = env.knownMaps?.outline(p.org);
  const guessed = known ? readsFor(known) : null;
  const { loaded: mapLoaded } = await mapLoading;
  if (mapLoaded.map) env.knownMaps?.remember(p.org, mapLoaded.map, mapLoaded.source?.commitSha ?? null);
  else env.knownMaps?.forget(p.org);
  const outline = outlineOf(mapLoaded.map ?? { services: {} });
  const { gathering, configuring } = guessed && sameOutline(guessed.outline, outline) ? guessed : readsFor(outline);
  const config = await configuring;
  const errors = config.problems.filter((x) => x.severity === 'error');
  if (errors.length || !config.map.map) return { ok: false, message: await configReply(errors.length ? errors : config.problems, p) };
  const contracts = new Map<string, Contract>();
  for (const [repo, loaded] of config.contracts) if (loaded.contract) contracts.set(repo, loaded.contract);
  // The pure plan.
  const map0 = config.map.map;
  let facts = await gathering;
  const plan = () => planRollback({ targets, map: map0, contracts, pulls: facts.pulls, commits: facts.commits, now: p.now });
  let result = plan();
  if (result.plan && facts.deferred.length) {
    const selected = new Set(result.plan.waves.flatMap((w) => w.steps.flatMap((s) => s.pulls.map((x) => pullKey(s.repo, x.number)))));
    facts = await readDeferredFiles(port, facts, selected, PLAN_READS_AT_ONCE);
    result = plan();
  }
  const warnings = [...facts.warnings, ...result.warnings];
  if (!result.plan) return { ok: false, message: await planReply(result.errors, p) };
  if (result.plan.waves.length === 0) return { ok: false, message: 'The plan is empty: nothing to roll back for these targets.' };
  const map = config.map.map;
  const tierOf = (repo: string): string | undefined => Object.values(map.services).find((s) => s.repo === repo)?.tier || undefined;
  const planRepos = new Set(result.plan.waves.flatMap((w) => w.steps.map((s) => s.repo)));
  const configRepo = configRepoOf(p.org).toLowerCase();
  const extendsFrom = [...config.contracts.values()]
    .filter((c) => planRepos.has(c.repo))
    .flatMap((c) => c.sources.map((s) => s.repo).filter((r) => r.toLowerCase() !== c.repo.toLowerCase() && r.toLowerCase() !== configRepo));
  const policyContracts: RollbackState['contracts'] = {};
  for (const [repo, c] of contracts) {
    const tier = tierOf(repo);
    policyContracts[repo] = { service: c.service || repo, owners: [...c.owners], paused: c.paused, auto_merge: c.revert.auto_merge, ...(tier ? { tier } : {}) };
  }
  return {
    ok: true,
    plan: result.plan,
    markdown: renderPlanMarkdown(result.plan, { warnings }),
    warnings: warnings.map(messageText),
    contracts: policyContracts,
    configRepo: configRepoOf(p.org),
    mapPaused: map.paused,
    extendsFrom: [...new Set(extendsFrom)].sort(),
    pullRefs: facts.refs,
  };
}

/**
 * Every problem, file:line:col, where its readers may see it: a problem in a file of another private
 * repository (an `_extends` target, say) is counted but not quoted, and a repository the actor cannot
 * read is not named.
 */
async function configReply(problems: readonly ConfigProblem[], p: PlanRequestParams): Promise<string> {
  const shown: string[] = [];
  const withheld = new Map<string, number>();
  for (const x of problems) {
    const repo = /^([^/:\s]+\/[^/:\s]+):/.exec(x.file)?.[1] ?? p.replyRepo;
    if (await quotableIn(p.access, repo, p.replyRepo)) shown.push(`- ${mdText(`${x.file}:${x.line}:${x.col}: ${x.severity}: ${x.message}${x.hint ? ` (${x.hint})` : ''}`)}`);
    else withheld.set(repo, (withheld.get(repo) ?? 0) + 1);
  }
  for (const [repo, n] of withheld) {
    // The repository is named (the map or an `_extends` names it already); its content is not.
    const why = (await p.access.canRead(repo)) ? 'it is private' : 'you cannot read it';
    shown.push(`- ${n} problem(s) in configuration read from ${mdText(repo)}: not shown here, because ${why}. Run \`unwind validate\` where it can be read.`);
  }
  return ['The rollback configuration has errors, so nothing was done. Fix them on the default branch and comment again:', '', ...shown].join('\n');
}

async function planReply(errors: readonly PlanMessage[], p: PlanRequestParams): Promise<string> {
  const lines: string[] = [];
  let withheld = 0;
  for (const e of errors) {
    const repo = e.subject ? /^([^/#@\s]+\/[^/#@:\s]+)/.exec(e.subject)?.[1] : undefined;
    if (repo && !(await quotableIn(p.access, repo, p.replyRepo)) && !(await p.access.canRead(repo))) withheld++;
    else lines.push(`- ${mdText(messageText(e))}`);
  }
  if (withheld) lines.push(`- ${withheld} problem(s) in repositories not visible to you are not shown.`);
  return ['Unwind could not plan this rollback, so nothing was done:', '', ...lines].join('\n');
}

/** Plain text (the tracking issue renders it through `mdText`). */
function messageText(m: PlanMessage): string {
  return m.subject ? `${m.subject}: ${m.message}` : m.message;
}
