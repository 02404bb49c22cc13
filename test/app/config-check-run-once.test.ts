/**
 * The "Unwind config" check is one check run per commit: a redelivered or repeated event updates the
 * run Unwind made before (found by name, commit and app) instead of adding a second one, and does not
 * add its annotations again (GitHub only ever appends them). A run of the same name by another app (a
 * CI job called "Unwind config") is not Unwind's and is left alone. The checks API here behaves as
 * GitHub's does for these calls: annotations append, output is replaced.
 */
import { describe, expect, it } from 'vitest';
import { newAnnotations, type CheckAnnotation, type CheckResult, type ChecksApi } from '../../src/app/config-check/checks-api.ts';
import { CHECK_NAME } from '../../src/app/config-check/config-paths.ts';
import { runConfigCheck } from '../../src/app/config-check/run-config-check.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { FakeGitHub } from '../support/fake-github.ts';
import { testKeyring } from '../support/test-keyring.ts';

interface Run {
  id: number;
  app: string;
  name: string;
  headSha: string;
  status: 'in_progress' | 'completed';
  result: CheckResult | null;
  annotations: CheckAnnotation[];
}

/** Check runs as GitHub keeps them, made by `app`. */
function checksOf(runs: Run[], app: string): ChecksApi {
  return {
    async findCheckRun(_repo, p) {
      const run = runs.filter((r) => r.app === p.appSlug && r.name === p.name && r.headSha === p.headSha).sort((a, b) => a.id - b.id)[0];
      return run ? { id: run.id, annotations: [...run.annotations] } : null;
    },
    async startCheckRun(_repo, p) {
      const id = runs.length + 1;
      runs.push({ id, app, name: p.name, headSha: p.headSha, status: 'in_progress', result: null, annotations: [] });
      return id;
    },
    async finishCheckRun(_repo, id, result, already = []) {
      const run = runs.find((r) => r.id === id);
      if (!run) throw new Error(`no check run ${id}`);
      run.annotations.push(...newAnnotations(result.annotations, already));
      run.status = 'completed';
      run.result = result;
    },
    async listPullFiles() {
      return [];
    },
  };
}

const BAD_CONTRACT = ['service: api', 'revert:', '  merge_method: fast-forward', 'auto_revert:', '  grace: soon', ''].join('\n');

function setUp() {
  const port = new FakeGitHub();
  port.addRepo('acme/api', { files: { 'README.md': 'api\n' } });
  const headSha = port.commit('acme/api', { files: { '.github/unwind.yml': BAD_CONTRACT }, branch: 'tune' });
  const runs: Run[] = [];
  const params = {
    port,
    checks: checksOf(runs, 'unwind'),
    trust: { keyring: testKeyring(), botLogin: 'unwind[bot]' },
    log: silentLogger,
    now: new Date('2026-12-05T12:00:00Z'),
    repo: { owner: 'acme', repo: 'api' },
    headSha,
    baseSha: null,
    changes: { contracts: ['.github/unwind.yml'], map: false, policies: false },
  };
  return { runs, params };
}

describe('the config check runs once per commit', () => {
  it('a repeated event updates the same check run, with each annotation once', async () => {
    const { runs, params } = setUp();
    const first = await runConfigCheck(params);
    expect(first.conclusion).toBe('failure');
    expect(first.annotations.length).toBeGreaterThan(0);
    expect(runs).toHaveLength(1);
    expect(runs[0].annotations).toEqual(first.annotations);
    const annotations = [...runs[0].annotations];
    await runConfigCheck(params);
    await runConfigCheck(params);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: 1, status: 'completed', result: { conclusion: 'failure' } });
    expect(runs[0].annotations).toEqual(annotations);
  });

  it("another app's run of the same name is not Unwind's: Unwind makes its own, once", async () => {
    const { runs, params } = setUp();
    runs.push({ id: 1, app: 'github-actions', name: CHECK_NAME, headSha: params.headSha, status: 'completed', result: null, annotations: [] });
    await runConfigCheck(params);
    await runConfigCheck(params);
    expect(runs.map((r) => [r.id, r.app])).toEqual([
      [1, 'github-actions'],
      [2, 'unwind'],
    ]);
    expect(runs[0].result).toBeNull();
  });

  it('newAnnotations leaves out those already on the run', () => {
    const a = (line: number, message: string): CheckAnnotation => ({ path: 'f.yml', start_line: line, end_line: line, annotation_level: 'failure', message });
    expect(newAnnotations([a(1, 'x'), a(2, 'y'), a(3, 'x')], [a(1, 'x'), a(2, 'other')])).toEqual([a(2, 'y'), a(3, 'x')]);
  });
});
