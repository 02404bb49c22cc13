/**
 * The "Unwind config" check on the sandbox: a pull request that changes a contract, the map or the
 * policies gets a check run on its head commit, with every problem annotated at its file and line in
 * the words of `unwind validate`, and the waves of a sample rollback when the map's shape changes.
 * Read back through the REST API, as a reviewer's tools would. (The policy impact part is tested in
 * test/policy/impact.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONCALL } from '../../src/demo/seed-org.ts';
import { parseMap } from '../../src/config/parse-map.ts';
import { parseContract } from '../../src/config/parse-contract.ts';
import { formatProblem } from '../../src/config/problem.ts';
import { seed, startWorld, type World } from './support/world.ts';

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
});
