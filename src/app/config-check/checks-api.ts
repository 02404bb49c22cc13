/**
 * What the config check needs of GitHub beyond the GitHub port: check runs (with annotations) and a
 * pull request's changed files. Implemented over the installation's Octokit that Probot hands the
 * webhook; the rest of the check reads through the port.
 */
import type { ProbotOctokit } from 'probot';
import type { RepoRef } from '../../github/port.ts';

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly message: string;
  readonly title?: string;
}

export interface CheckResult {
  readonly conclusion: 'success' | 'failure' | 'neutral';
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations: readonly CheckAnnotation[];
}

/** A check run of ours found on a commit, with the annotations it already carries. */
export interface ExistingCheckRun {
  readonly id: number;
  readonly annotations: readonly CheckAnnotation[];
}

export interface ChecksApi {
  /** This app's check run of that name on that commit (a redelivered or repeated event finds it), or null. */
  findCheckRun(repo: RepoRef, p: { name: string; headSha: string; appSlug: string }): Promise<ExistingCheckRun | null>;
  startCheckRun(repo: RepoRef, p: { name: string; headSha: string; detailsUrl?: string }): Promise<number>;
  /** `already`: annotations the run carries (GitHub only ever adds annotations, so they are not sent again). */
  finishCheckRun(repo: RepoRef, id: number, result: CheckResult, already?: readonly CheckAnnotation[]): Promise<void>;
  listPullFiles(repo: RepoRef, pull: number): Promise<string[]>;
}

/** GitHub takes at most 50 annotations per request; more go in further updates of the same run. */
const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on a check run's summary and text. */
const MAX_OUTPUT = 65_535;

export function octokitChecksApi(octokit: ProbotOctokit): ChecksApi {
  return {
    async findCheckRun(repo, p) {
      const runs = await octokit.paginate(octokit.rest.checks.listForRef, { owner: repo.owner, repo: repo.repo, ref: p.headSha, check_name: p.name, filter: 'all', per_page: 100 });
      // Another app (a CI job) may use the same name; ours is the oldest run of our app.
      const ours = runs.filter((r) => r.app?.slug === p.appSlug && r.head_sha === p.headSha).sort((a, b) => a.id - b.id)[0];
      if (!ours) return null;
      const annotations = ours.output.annotations_count ? await octokit.paginate(octokit.rest.checks.listAnnotations, { owner: repo.owner, repo: repo.repo, check_run_id: ours.id, per_page: 100 }) : [];
      return {
        id: ours.id,
        annotations: annotations.map((a) => ({ path: a.path, start_line: a.start_line, end_line: a.end_line, annotation_level: (a.annotation_level ?? 'notice') as CheckAnnotation['annotation_level'], message: a.message ?? '', ...(a.title ? { title: a.title } : {}) })),
      };
    },
    async startCheckRun(repo, p) {
      const { data } = await octokit.rest.checks.create({ owner: repo.owner, repo: repo.repo, name: p.name, head_sha: p.headSha, status: 'in_progress', ...(p.detailsUrl ? { details_url: p.detailsUrl } : {}) });
      return data.id;
    },
    async finishCheckRun(repo, id, r, already = []) {
      // The text is always sent: an update of an earlier run must not keep that run's text.
      const output = (annotations: readonly CheckAnnotation[]) => ({ title: r.title, summary: clip(r.summary), text: clip(r.text ?? ''), annotations: [...annotations] });
      const fresh = newAnnotations(r.annotations, already);
      const batches: CheckAnnotation[][] = [];
      for (let i = 0; i < fresh.length; i += ANNOTATIONS_PER_REQUEST) batches.push(fresh.slice(i, i + ANNOTATIONS_PER_REQUEST));
      // Every batch but the last goes in while the run is still in progress; the last one completes it.
      for (const batch of batches.slice(0, -1)) await octokit.rest.checks.update({ owner: repo.owner, repo: repo.repo, check_run_id: id, output: output(batch) });
      await octokit.rest.checks.update({ owner: repo.owner, repo: repo.repo, check_run_id: id, status: 'completed', conclusion: r.conclusion, output: output(batches.at(-1) ?? []) });
    },
    async listPullFiles(repo, pull) {
      const files = await octokit.paginate(octokit.rest.pulls.listFiles, { owner: repo.owner, repo: repo.repo, pull_number: pull, per_page: 100 });
      return files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename]));
    },
  };
}

/** The annotations not on the run yet (same file, lines, level and message). */
export function newAnnotations(wanted: readonly CheckAnnotation[], already: readonly CheckAnnotation[]): CheckAnnotation[] {
  const key = (a: CheckAnnotation) => JSON.stringify([a.path, a.start_line, a.end_line, a.annotation_level, a.message]);
  const seen = new Set(already.map(key));
  return wanted.filter((a) => !seen.has(key(a)));
}

function clip(text: string): string {
  return text.length <= MAX_OUTPUT ? text : `${text.slice(0, MAX_OUTPUT - 40)}\n\n…(truncated)`;
}
