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

export interface ChecksApi {
  startCheckRun(repo: RepoRef, p: { name: string; headSha: string; detailsUrl?: string }): Promise<number>;
  finishCheckRun(repo: RepoRef, id: number, result: CheckResult): Promise<void>;
  listPullFiles(repo: RepoRef, pull: number): Promise<string[]>;
}

/** GitHub takes at most 50 annotations per request; more go in further updates of the same run. */
const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit on a check run's summary and text. */
const MAX_OUTPUT = 65_535;

export function octokitChecksApi(octokit: ProbotOctokit): ChecksApi {
  return {
    async startCheckRun(repo, p) {
      const { data } = await octokit.rest.checks.create({ owner: repo.owner, repo: repo.repo, name: p.name, head_sha: p.headSha, status: 'in_progress', ...(p.detailsUrl ? { details_url: p.detailsUrl } : {}) });
      return data.id;
    },
    async finishCheckRun(repo, id, r) {
      const output = (annotations: readonly CheckAnnotation[]) => ({ title: r.title, summary: clip(r.summary), ...(r.text ? { text: clip(r.text) } : {}), annotations: [...annotations] });
      const batches: CheckAnnotation[][] = [];
      for (let i = 0; i < r.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(r.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
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

function clip(text: string): string {
  return text.length <= MAX_OUTPUT ? text : `${text.slice(0, MAX_OUTPUT - 40)}\n\n…(truncated)`;
}
