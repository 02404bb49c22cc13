/**
 * The "Unwind config" check on the sandbox: a pull request that changes a contract, the map or the
 * policies gets a check run on its head commit, with every problem annotated at its file and line in
 * the words of `unwind validate`, and the waves of a sample rollback when the map's shape changes.
 * and, when the policies change, the recorded decisions of past rollbacks that the change would flip,
 * each linked to its rollback. A redelivered event updates the one check run of its commit. Read
 * back through the REST API, as a reviewer's tools would. Tests wait for states, not time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeChangeSet, ONCALL } from '../../src/demo/seed-org.ts';
import { parseMap } from '../../src/config/parse-map.ts';
import { parseContract } from '../../src/config/parse-contract.ts';
import { formatProblem } from '../../src/config/problem.ts';
import { seed, startWorld, trackingIssues, until, type World } from './support/world.ts';

let world: World;
let token: string;
beforeAll(async () => {
  // The reconciler runs every 2 s, as in the demo: a loop that lost its lease on a loaded machine resumes.
  world = await startWorld({ reconcileMs: 2_000 });
  token = (await world.sandbox.driver.createUser('cfg-reviewer')).token;
}, 180_000);
afterAll(async () => {
  await world?.close();
}, 180_000);

interface CheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string; text: string | null; annotations_count: number };
}
interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: string;
  message: string;
}

async function rest<T>(path: string): Promise<T> {
  const res = await fetch(`${world.sandbox.baseUrl}${path}`, { headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json' } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every "Unwind config" check run on a commit, not only the latest. */
async function configRuns(owner: string, repo: string, sha: string): Promise<CheckRun[]> {
  return (await rest<{ check_runs: CheckRun[] }>(`/repos/${owner}/${repo}/commits/${sha}/check-runs?filter=all&check_name=${encodeURIComponent('Unwind config')}`)).check_runs;
}

/** The finished "Unwind config" check of a commit, and its annotations. */
async function configCheck(owner: string, repo: string, sha: string): Promise<{ run: CheckRun; annotations: Annotation[] } | null> {
  const { check_runs } = await rest<{ check_runs: CheckRun[] }>(`/repos/${owner}/${repo}/commits/${sha}/check-runs?check_name=${encodeURIComponent('Unwind config')}`);
  const run = check_runs.find((r) => r.status === 'completed');
  if (!run) return null;
  return { run, annotations: await rest<Annotation[]>(`/repos/${owner}/${repo}/check-runs/${run.id}/annotations?per_page=100`) };
}


async function openChange(org: string, repo: string, branch: string, files: Record<string, string | null>, title: string): Promise<{ number: number; sha: string }> {
  const d = world.sandbox.driver;
  const sha = await d.commit(org, repo, { branch, files, message: title, author: ONCALL });
  const number = await d.openPull(ONCALL, org, repo, { head: branch, title });
  await world.settle();
  return { number, sha };
}

describe('the "Unwind config" check', () => {
  it('fails a PR that breaks the map and a contract, with annotations at the lines `unwind validate` names', async () => {
    const org = 'cfg-bad';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api` }, { name: 'web', repo: `${org}/web`, dependsOn: ['api'] }] });
    const map = ['services:', '  api:', `    repo: ${org}/api`, '  web:', `    repo: ${org}/web`, '    depends_on: [api, billing]', ''].join('\n');
    const { sha } = await openChange(org, '.github', 'bad-map', { 'unwind/map.yml': map }, 'Add billing dependency');
    const contract = ['service: api', 'revert:', '  merge_method: fast-forward', 'auto_revert:', '  grace: soon', ''].join('\n');
    const api = await openChange(org, 'api', 'bad-contract', { '.github/unwind.yml': contract }, 'Tune the contract');

    // The map: a failing check whose annotations are exactly `unwind validate`'s lines.
    const mapCheck = await configCheck(org, '.github', sha);
    expect(mapCheck?.run.conclusion).toBe('failure');
    const expectedMap = parseMap({ file: 'unwind/map.yml', text: map }).problems.filter((p) => p.severity === 'error');
    expect(expectedMap.length).toBeGreaterThan(0);
    expect(mapCheck?.annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.message])).toEqual(expectedMap.map((p) => ['unwind/map.yml', p.line, 'failure', formatProblem(p)]));
    expect(mapCheck?.annotations.some((a) => a.start_line === 6 && a.message.includes('billing'))).toBe(true);
    expect(mapCheck?.run.output.summary).toContain('Fix these before merging');

    // The contract: both bad fields, each at its own line.
    const contractCheck = await configCheck(org, 'api', api.sha);
    expect(contractCheck?.run.conclusion).toBe('failure');
    const expectedContract = parseContract({ file: '.github/unwind.yml', text: contract }).problems;
    expect(contractCheck?.annotations.map((a) => [a.start_line, a.message])).toEqual(expectedContract.map((p) => [p.line, formatProblem(p)]));
    expect(contractCheck?.annotations.map((a) => a.start_line)).toContain(3);
  }, 180_000);

  it('passes a valid map change and shows how a rollback of every service runs before and after', async () => {
    const org = 'cfg-shape';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api` }, { name: 'web', repo: `${org}/web`, dependsOn: ['api'] }] });
    // web no longer depends on api; api now depends on web: the order of the waves turns round.
    const map = ['services:', '  api:', `    repo: ${org}/api`, '    depends_on: [web]', '  web:', `    repo: ${org}/web`, ''].join('\n');
    const { sha } = await openChange(org, '.github', 'flip', { 'unwind/map.yml': map }, 'api depends on web');
    const check = await configCheck(org, '.github', sha);
    expect(check?.run.conclusion).toBe('success');
    expect(check?.annotations).toEqual([]);
    expect(check?.run.output.text).toContain('**Before (default branch)**\n\n1. web\n2. api');
    expect(check?.run.output.text).toContain('**After (this change)**\n\n1. api\n2. web');
    // A PR that touches no configuration gets no check.
    const other = await openChange(org, 'api', 'docs', { 'docs/readme.txt': 'hello\n' }, 'Docs');
    expect(await configCheck(org, 'api', other.sha)).toBeNull();
  }, 180_000);

  it('a PR that tightens a policy lists the past rollbacks whose decision would flip, linked, and nothing else', async () => {
    const org = 'cfg-impact';
    // Three past rollbacks under the shipped policies, all allowed: a staging service and a dev service
    // rolled back by hand, and an automatic revert of another dev service.
    await seed(world, {
      org,
      services: [
        { name: 'web', repo: `${org}/web`, tier: 'staging' },
        { name: 'docs', repo: `${org}/docs`, tier: 'dev' },
        { name: 'api', repo: `${org}/api`, tier: 'dev', autoRevert: { checks: ['deploy'] } },
      ],
    });
    const d = world.sandbox.driver;
    const [web, docs, api] = await mergeChangeSet(d, org, [
      { repo: `${org}/web`, branch: 'w', title: 'Web change', files: { 'src/app.txt': 'web v2\n' } },
      { repo: `${org}/docs`, branch: 'd', title: 'Docs change', files: { 'src/app.txt': 'docs v2\n' } },
      { repo: `${org}/api`, branch: 'a', title: 'Api change', files: { 'src/app.txt': 'api v2\n' } },
    ]);
    await d.comment(ONCALL, org, 'web', web.number, '/rollback --reason "web broke"');
    await d.comment(ONCALL, org, 'docs', docs.number, '/rollback --reason "docs broke"');
    await d.reportCheck(org, 'api', api.mergeSha, { name: 'deploy', result: 'failure' });
    const done = (repo: string) => trackingIssues(world, org, repo)[0]?.state.status === 'completed';
    await until(world, () => done('web') && done('docs') && done('.github'), 'the three rollbacks completed', 700_000);
    const tracking = { web: trackingIssues(world, org, 'web')[0].state, docs: trackingIssues(world, org, 'docs')[0].state, api: trackingIssues(world, org, '.github')[0].state };
    expect(tracking.api.trigger).toBe('auto');

    // The change: staging counts as production at all hours (approvals), and no automatic reverts at all.
    const data = { unwind_config: { prod_tiers: ['prod', 'staging'], business_hours: { days: [] }, caps: { auto_reverts_per_repo_per_day: 0 } } };
    const { sha } = await openChange(org, '.github', 'tighten', { 'unwind/policies/data.json': `${JSON.stringify(data, null, 2)}\n` }, 'Tighten the rollback policy');
    const check = await configCheck(org, '.github', sha);
    expect(check?.run.conclusion).toBe('success'); // a policy change is not an error: the reviewer decides
    const text = check?.run.output.text ?? '';
    expect(text).toContain('### Policy impact on the last 3 rollback(s)');
    expect(text).toContain('**2 decision(s) would change**');
    // Exactly the two flipped rollbacks, each linked to its tracking issue; the docs rollback is not listed.
    const rows = text.split('\n').filter((l) => l.startsWith('| [`rb-'));
    // Read as a reviewer does: without Markdown escapes and the zero-width space that keeps `@sre` from being a mention.
    const row = (id: string) => rows.find((l) => l.startsWith(`| [\`${id}\`](`))?.replace(/\\|\u200b/g, '');
    expect(rows).toHaveLength(2);
    expect(row(tracking.web.id)).toContain(`](${tracking.web.tracking.url})`);
    expect(row(tracking.web.id)).toMatch(/\| allow \| pending \(1 approval from @sre\) \| allow → pending \|$/);
    expect(row(tracking.api.id)).toContain(`](${tracking.api.tracking.url})`);
    expect(row(tracking.api.id)).toMatch(/\| allow \| deny \| allow → deny \|$/);
    expect(text).not.toContain(tracking.docs.id);
    expect(rows.join('\n')).not.toContain('@sre'); // the approvers are named, not notified
  }, 900_000);

  it('a redelivered pull_request event updates the one "Unwind config" check of its commit', async () => {
    const org = 'cfg-redeliver';
    await seed(world, { org, services: [{ name: 'api', repo: `${org}/api` }] });
    const before = world.sandbox.deliveries().length;
    const contract = ['service: api', 'revert:', '  merge_method: fast-forward', ''].join('\n');
    const { sha } = await openChange(org, 'api', 'contract', { '.github/unwind.yml': contract }, 'A bad merge method');
    const first = await configCheck(org, 'api', sha);
    expect(first?.run.conclusion).toBe('failure');
    expect(first?.annotations.length).toBeGreaterThan(0);
    const opened = world.sandbox.deliveries().slice(before).filter((x) => x.event === 'pull_request' && x.action === 'opened');
    expect(opened).toHaveLength(1);
    // GitHub redelivers the same event (same body and guid), twice over.
    await world.sandbox.redeliver(opened[0].id);
    await world.settle();
    await world.sandbox.redeliver(opened[0].id);
    await world.settle();
    const runs = await configRuns(org, 'api', sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: first?.run.id, status: 'completed', conclusion: 'failure' });
    // Its annotations are those of one check, not one set per delivery.
    const again = await configCheck(org, 'api', sha);
    expect(again?.annotations).toEqual(first?.annotations);
  }, 300_000);
});
