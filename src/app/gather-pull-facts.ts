/**
 * The I/O half of planning: collect the facts planRollback needs through the GitHub port.
 *   1. Each target: the PR (or the merged PR a commit belongs to, or the bare commit).
 *   2. Candidate dependents: PRs of the mapped repos updated since `since` (merged ones for expansion,
 *      open ones for warnings), bounded by `maxPulls`.
 *   3. Every PR named in a Depends-On line of what was collected, so links can be told apart
 *      (unknown vs unmerged).
 * Files of merged PRs come from their merge commit (changes against the first parent): one read per PR.
 * With `filesNow`, a candidate's files are read only where they decide something before planning (its
 * repository holds several services, told apart by path); the others are listed in `deferred` and read
 * by `readDeferredFiles` for the PRs the plan selected (planning then runs again on complete facts).
 */
import type { GitHubPort, PullInfo, RepoRef } from '../github/port.ts';
import type { CommitFacts, PlanMessage, PullFacts } from '../planning/types.ts';
import { parseTarget, pullKey } from '../planning/parse-target.ts';
import { parseDependsOn } from '../planning/parse-depends-on.ts';
import { mapBounded } from '../shared/map-bounded.ts';

export interface GatherParams {
  readonly targets: readonly string[];
  /** `owner/repo` of every repo whose PRs may depend on a target (usually every repo in the map). */
  readonly repos: readonly string[];
  /** Only PRs merged at or after this instant are candidate dependents. */
  readonly since: Date;
  /** Most PRs collected in total (default 500). */
  readonly maxPulls?: number;
  /** Concurrent requests (default 6). */
  readonly concurrency?: number;
  /** Whether the files of `repo`'s candidate PRs are read now (default: every repo). Targets' files always are. */
  readonly filesNow?: (repo: string) => boolean;
  /**
   * Called once per repository as soon as a PR that may join the plan is found there (a target, or a PR with
   * `Depends-On:` lines): what the plan needs about that repository (the actor's permission) can be read then.
   */
  readonly onCandidateRepo?: (repo: string) => void;
}

export interface GatheredFacts {
  readonly pulls: PullFacts[];
  readonly commits: CommitFacts[];
  readonly warnings: PlanMessage[];
  /** PRs (`owner/repo#n`) whose files were not read yet (see `filesNow`). */
  readonly deferred: string[];
  /** GitHub's names of the PRs read (`owner/repo#n`): head branch and GraphQL id, for GitHub's revert. */
  readonly refs: ReadonlyMap<string, { readonly headRef: string; readonly nodeId: string }>;
}

/** Most deferred merge commits asked for before the plan selects them (see `add`). */
const EARLY_FILES_MAX = 64;

export async function gatherPullFacts(port: GitHubPort, params: GatherParams): Promise<GatheredFacts> {
  const maxPulls = params.maxPulls ?? 500;
  const limit = params.concurrency ?? 6;
  const pulls = new Map<string, PullFacts>();
  const commits: CommitFacts[] = [];
  const warnings: PlanMessage[] = [];
  const deferred = new Set<string>();
  const refs = new Map<string, { headRef: string; nodeId: string }>();
  // Targets and candidate dependents are read at the same time; a target PR found in a listing first is still
  // a target (its files read now, its slot kept however many dependents there are).
  const targetPulls = new Set(params.targets.map(parseTarget).flatMap((t) => (t?.kind === 'pull' ? [pullKey(t.repo, t.number)] : [])));
  let truncated = false;
  // A deferred PR with `Depends-On:` lines is the kind the plan selects: its merge commit is asked for at once
  // (the answer is not awaited here; `readDeferredFiles` finds it in the command's read snapshot, memo-reads.ts),
  // so the files of the PRs the plan selects arrive with the listings instead of in a round of their own.
  let early = 0;
  const candidateRepos = new Set<string>();
  const candidate = (repo: string): void => {
    if (candidateRepos.has(repo)) return;
    candidateRepos.add(repo);
    params.onCandidateRepo?.(repo);
  };
  const add = async (info: PullInfo, filesNow = params.filesNow?.(`${info.owner}/${info.repo}`) ?? true) => {
    const key = pullKey(`${info.owner}/${info.repo}`, info.number);
    if (pulls.has(key)) return;
    const target = targetPulls.has(key);
    if (pulls.size >= maxPulls && !target) {
      truncated = true;
      return;
    }
    if (info.nodeId) refs.set(key, { headRef: info.headRef, nodeId: info.nodeId });
    if (target) filesNow = true;
    const linking = parseDependsOn(info.body).length > 0;
    if (target || linking) candidate(`${info.owner}/${info.repo}`);
    pulls.set(key, toFacts(info, null)); // reserve the slot, then fill in files
    if (!filesNow && info.merged && info.mergeCommitSha !== null) {
      deferred.add(key);
      if (linking && early++ < EARLY_FILES_MAX) port.getCommit({ owner: info.owner, repo: info.repo }, info.mergeCommitSha).catch(() => undefined);
    } else pulls.set(key, await withFiles(port, info));
  };

  // 1. Targets.
  const targetsRead = mapBounded(params.targets, limit, async (text) => {
    const t = parseTarget(text);
    if (t === null) return; // planRollback reports it
    const [owner, repo] = t.repo.split('/');
    const ref: RepoRef = { owner, repo };
    if (t.kind === 'pull') {
      const info = await port.getPull(ref, t.number);
      if (info !== null) await add(info, true);
      return;
    }
    const owning = (await port.listPullsForCommit(ref, t.sha)).find((p) => p.merged && p.mergeCommitSha?.toLowerCase().startsWith(t.sha));
    if (owning !== undefined) return add(owning, true);
    const commit = await port.getCommit(ref, t.sha);
    if (commit === null) return;
    commits.push({ repo: t.repo, sha: commit.sha, parents: commit.parents.length, message: commit.message, committedAt: commit.committedAt, files: [...commit.files], author: commit.authorLogin });
  });

  // 2. Candidate dependents in every repo: merged since `since`, or open with Depends-On lines.
  const since = params.since.getTime();
  const dependentsRead = mapBounded(params.repos, limit, async (name) => {
    const [owner, repo] = name.split('/');
    const list = await port.listPulls({ owner, repo }, { state: 'all' });
    const wanted = list
      .filter((p) => (p.merged && p.mergedAt !== null && Date.parse(p.mergedAt) >= since) || (p.state === 'open' && parseDependsOn(p.body).length > 0))
      .sort((a, b) => a.number - b.number);
    for (const p of wanted) await add(p);
  });
  await Promise.all([targetsRead, dependentsRead]);

  // 3. PRs named by Depends-On lines (one level), to classify links.
  const linked = new Set<string>();
  for (const p of pulls.values()) for (const l of parseDependsOn(p.body)) if (!pulls.has(pullKey(l.repo, l.number))) linked.add(`${l.repo}#${l.number}`);
  await mapBounded([...linked].sort(), limit, async (text) => {
    const t = parseTarget(text);
    if (t === null || t.kind !== 'pull') return;
    const [owner, repo] = t.repo.split('/');
    const info = await port.getPull({ owner, repo }, t.number);
    if (info !== null) await add(info);
  });

  if (truncated) warnings.push({ code: 'facts_truncated', message: `stopped collecting PRs at ${maxPulls} (maxPulls); dependents beyond that were not considered` });
  const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    pulls: [...pulls.values()].sort((a, b) => byKey(pullKey(a.repo, a.number), pullKey(b.repo, b.number))),
    commits: commits.sort((a, b) => byKey(`${a.repo}@${a.sha}`, `${b.repo}@${b.sha}`)),
    warnings,
    deferred: [...deferred].sort(byKey),
    refs,
  };
}

/** Reads the files of the deferred PRs among `keys` (`owner/repo#n`): the same facts as if they had been read at once. */
export async function readDeferredFiles(port: GitHubPort, facts: GatheredFacts, keys: ReadonlySet<string>, concurrency = 6): Promise<GatheredFacts> {
  const wanted = facts.deferred.filter((k) => keys.has(k));
  if (wanted.length === 0) return facts;
  const read = new Map<string, PullFacts>();
  await mapBounded(wanted, concurrency, async (key) => {
    const pull = facts.pulls.find((p) => pullKey(p.repo, p.number) === key);
    if (!pull?.mergeCommitSha) return;
    const [owner, repo] = pull.repo.split('/');
    const commit = await port.getCommit({ owner, repo }, pull.mergeCommitSha);
    read.set(key, commit === null ? pull : { ...pull, mergeCommitParents: commit.parents.length, files: [...commit.files] });
  });
  return { ...facts, pulls: facts.pulls.map((p) => read.get(pullKey(p.repo, p.number)) ?? p), deferred: facts.deferred.filter((k) => !read.has(k)) };
}

async function withFiles(port: GitHubPort, info: PullInfo): Promise<PullFacts> {
  if (!info.merged || info.mergeCommitSha === null) return toFacts(info, null);
  const commit = await port.getCommit({ owner: info.owner, repo: info.repo }, info.mergeCommitSha);
  return toFacts(info, commit === null ? null : { files: commit.files, parents: commit.parents.length });
}

function toFacts(info: PullInfo, commit: { files: readonly string[]; parents: number } | null): PullFacts {
  return {
    repo: `${info.owner}/${info.repo}`,
    number: info.number,
    title: info.title,
    body: info.body,
    merged: info.merged,
    mergedAt: info.mergedAt,
    mergeCommitSha: info.mergeCommitSha,
    ...(commit === null ? {} : { mergeCommitParents: commit.parents }),
    files: commit === null ? [] : [...commit.files],
    author: info.user.login,
    url: info.htmlUrl,
  };
}

