/**
 * The "Unwind config" check (issue 14): on a change to a contract, the map or the policies, the same
 * validation as `unwind validate` as annotations at file:line, the policy tests, how the map's shape
 * changes rollbacks, and which past decisions the changed policies would flip. Reads only through the
 * GitHub port, at the change's head commit and at its base.
 */
import { parseContract } from '../../config/parse-contract.ts';
import { parseMap } from '../../config/parse-map.ts';
import { fileProblem, formatProblem, sortProblems, type ConfigProblem } from '../../config/problem.ts';
import type { GitHubPort, RepoRef } from '../../github/port.ts';
import { MAP_PATH } from '../../config/load-map.ts';
import { compareDecisions } from '../../policy/impact/compare-decisions.ts';
import { policySetOf } from '../../policy/impact/policy-set-of.ts';
import { renderImpactMarkdown } from '../../policy/impact/render-impact.ts';
import type { PolicyTestResult } from '../../policy/run-policy-tests.ts';
import type { Logger } from '../../shared/logger.ts';
import { mdText, mdCode, mdFence } from '../../shared/markdown.ts';
import type { Trust } from '../../trust/trust.ts';
import { configRepoOf } from '../plan-request.ts';
import type { CheckAnnotation, CheckResult, ChecksApi } from './checks-api.ts';
import { CHECK_NAME, type ConfigChanges } from './config-paths.ts';
import { mapShape, renderShapes, sameShape, type MapShape } from './map-shape.ts';
import { readPoliciesAt } from './read-policies-at.ts';
import { recentInputs } from './recent-inputs.ts';

export const DEFAULT_IMPACT_ROLLBACKS = 50;

export interface ConfigCheckParams {
  readonly port: GitHubPort;
  readonly checks: ChecksApi;
  readonly trust: Trust;
  readonly log: Logger;
  readonly now: Date;
  readonly repo: RepoRef;
  readonly headSha: string;
  /** The commit the change is compared with (the PR's base, the push's parent); null for a new branch. */
  readonly baseSha: string | null;
  readonly changes: ConfigChanges;
  /** How many recent rollbacks the policy impact replays. */
  readonly impactRollbacks?: number;
}

export async function runConfigCheck(p: ConfigCheckParams): Promise<CheckResult> {
  // 1. One check run per commit: a redelivered or repeated event (reopened, a push of the same commit)
  //    updates the run it made before instead of adding a second "Unwind config" beside it.
  const appSlug = p.trust.botLogin.replace(/\[bot\]$/, '');
  const existing = await p.checks.findCheckRun(p.repo, { name: CHECK_NAME, headSha: p.headSha, appSlug });
  const id = existing?.id ?? (await p.checks.startCheckRun(p.repo, { name: CHECK_NAME, headSha: p.headSha }));
  // 2. The examination.
  const result = await examine(p).catch((err: unknown): CheckResult => {
    // The check must never stay in progress: a failure to read is reported as what it is.
    p.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'the config check could not finish');
    return { conclusion: 'failure', title: 'Unwind could not check this change', summary: `Reading the change failed: ${mdText(err instanceof Error ? err.message : String(err))}. Push again to re-run the check.`, annotations: [] };
  });
  // 3. The verdict, on the run.
  await p.checks.finishCheckRun(p.repo, id, result, existing?.annotations ?? []);
  return result;
}

async function examine(p: ConfigCheckParams): Promise<CheckResult> {
  const problems: ConfigProblem[] = [];
  const sections: string[] = [];
  const done: string[] = [];
  // 1. Contracts, as `unwind validate` parses them.
  for (const path of p.changes.contracts) {
    const file = await p.port.getFile(p.repo, path, p.headSha);
    if (!file) {
      done.push(`${mdCode(path)} removed: this repository falls back to the org's defaults.`);
      continue;
    }
    const parsed = parseContract({ file: path, text: file.text });
    problems.push(...parsed.problems);
    if (parsed.contract) done.push(`${mdCode(path)}: valid${parsed.contract.auto_revert.grace !== '0s' ? `; automatic reverts wait ${mdText(parsed.contract.auto_revert.grace)} for a veto` : ''}.`);
  }
  // 2. The map, and how a rollback of everything would run before and after.
  if (p.changes.map) {
    const head = await readMapAt(p, p.headSha, problems);
    if (head) {
      done.push(`\`${MAP_PATH}\`: ${Object.keys(head.services).length} service(s).`);
      const base = p.baseSha ? await readMapAt(p, p.baseSha, null) : null;
      const after = mapShape(head);
      const before: MapShape | null = base ? mapShape(base) : null;
      if (!before || !sameShape(before, after)) sections.push(renderShapes(before, after));
      else done.push('The map change keeps the order of rollbacks as it is.');
    }
  }
  // 3. Policies: validation, their tests, and the decisions they would flip.
  let failedTests: PolicyTestResult[] = [];
  if (p.changes.policies) {
    const files = await readPoliciesAt(p.port, p.repo, p.headSha);
    const texts = files.flatMap((f) => (typeof f.content === 'string' ? [{ path: f.path, text: f.content }] : []));
    if (texts.some((f) => f.path.endsWith('.rego'))) {
      const { validatePolicyFiles } = await import('../../policy/validate-policies.ts');
      problems.push(...validatePolicyFiles(texts).map((x) => ({ ...x, path: '' })));
    }
    if (texts.some((f) => f.path.endsWith('_test.rego'))) {
      const { runPolicyTests } = await import('../../policy/run-policy-tests.ts');
      const report = runPolicyTests(files, { now: p.now });
      failedTests = report.results.filter((r) => r.status !== 'pass');
      for (const x of report.problems) problems.push(fileProblem(texts.find((f) => x.startsWith(f.path))?.path ?? texts[0].path, `policy tests could not run: ${x}`));
      sections.push(renderTests(report.results));
    }
    const head = await policySetOf(files);
    const base = await policySetOf(p.baseSha ? await readPoliciesAt(p.port, p.repo, p.baseSha) : []);
    done.push(`Policies: version \`${short(base.policyVersion)}\` → \`${short(head.policyVersion)}\` (${head.engine}).`);
    if (!head.failure) {
      const recorded = await recentInputs(p.port, p.trust, configRepoOf(p.repo.owner), p.impactRollbacks ?? DEFAULT_IMPACT_ROLLBACKS);
      sections.push(renderImpactMarkdown(compareDecisions(base, head, recorded.inputs), { skipped: recorded.skipped.length }));
    } else if (!problems.some((x) => x.severity === 'error')) {
      problems.push(fileProblem(files[0]?.path ?? 'unwind/policies', head.failure));
    }
  }
  // 4. The verdict.
  const sorted = sortProblems(problems);
  const errors = sorted.filter((x) => x.severity === 'error');
  const annotations: CheckAnnotation[] = [
    ...sorted.map((x) => ({ path: x.file, start_line: x.line, end_line: x.line, annotation_level: x.severity === 'error' ? ('failure' as const) : ('warning' as const), message: formatProblem(x), title: `${x.severity} (${x.line}:${x.col})` })),
    ...failedTests.map((t) => ({ path: t.file, start_line: t.line, end_line: t.line, annotation_level: 'failure' as const, message: `${t.status.toUpperCase()} ${t.ref}${t.message ? `: ${t.message}` : ''}`, title: 'policy test' })),
  ];
  const failing = errors.length > 0 || failedTests.length > 0;
  const title = failing
    ? [errors.length ? `${errors.length} error(s)` : '', failedTests.length ? `${failedTests.length} failing policy test(s)` : ''].filter(Boolean).join(', ')
    : `Configuration valid${sorted.length ? ` (${sorted.length} warning(s))` : ''}`;
  // Problem texts quote the files (user text): inside a fence no line can close.
  const fix = failing ? ['**Fix these before merging** (each is also shown at its line):', '', ...mdFence([...sorted.map(formatProblem), ...failedTests.map((t) => `${t.file}:${t.line}:${t.col}: ${t.status}: ${t.ref}${t.message ? `: ${t.message}` : ''}`)]), ''] : [];
  const summary = [...fix, ...done.map((d) => `- ${d}`), ...(sorted.length && !failing ? ['', ...mdFence(sorted.map(formatProblem))] : [])].join('\n');
  return { conclusion: failing ? 'failure' : 'success', title, summary, text: sections.join('\n\n'), annotations };
}

async function readMapAt(p: ConfigCheckParams, ref: string, problems: ConfigProblem[] | null) {
  const file = (await p.port.getFile(p.repo, MAP_PATH, ref)) ?? (await p.port.getFile(p.repo, 'unwind/map.yaml', ref));
  if (!file) {
    problems?.push(fileProblem(MAP_PATH, 'the dependency map is removed: no rollback can be planned without it', 'keep unwind/map.yml in the org config repo'));
    return null;
  }
  const parsed = parseMap({ file: file.path, text: file.text });
  problems?.push(...parsed.problems);
  return parsed.map;
}

function renderTests(results: readonly PolicyTestResult[]): string {
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const lines = [`### Policy tests: ${count('pass')}/${results.length} passed`, ''];
  for (const r of results.filter((x) => x.status !== 'pass')) lines.push(`- **${r.status.toUpperCase()}** \`${mdText(r.ref)}\` (${mdText(`${r.file}:${r.line}:${r.col}`)})${r.message ? `: ${mdText(r.message)}` : ''}`);
  return lines.join('\n');
}

function short(version: string): string {
  const bare = version.includes(':') ? version.slice(version.lastIndexOf(':') + 1) : version;
  return bare.slice(0, 12);
}
