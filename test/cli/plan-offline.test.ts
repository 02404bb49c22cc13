/** `unwind plan` without a --links file: from the map and contracts alone, or with PR facts read from GitHub. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fetchPlanFacts, githubSource, runPlan, UNKNOWN_WITHOUT_FACTS } from '../../src/cli/commands/plan.ts';
import { mergeChangeSet, renderMap, seedOrg, type OrgSpec } from '../../src/demo/seed-org.ts';
import { startTestSandbox } from '../sandbox/support/start.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'config');
const now = new Date('2025-03-02T00:00:00Z');
const tmp = mkdtempSync(join(tmpdir(), 'unwind-plan-offline-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('unwind plan without PR facts', () => {
  it('plans the targets as given from the map and contracts, and warns what only PR facts can add', () => {
    const r = runPlan({ cwd: fixtures, map: 'org/unwind/map.yml', contracts: 'contracts', targets: ['acme/api#12', 'acme/web#3'], now });
    expect(r.exitCode).toBe(0);
    expect(r.output).not.toContain('was not found');
    expect(r.output).toContain('warning: no PR facts (--links FILE, or --base-url/--token to read them from GitHub): the targets are planned as given; Depends-On expansion');
    // web depends on api: web first, then api; api's contract extends acme/.github (squash).
    expect(r.output).toMatch(/\| 1\.1 \| acme\/web \| web[^\n]*#3/);
    expect(r.output).toMatch(/\| 2\.1 \| acme\/api \| api \| #12 [^\n]*\| squash \| `ci`, `integration` \|/);
    const json = JSON.parse(runPlan({ cwd: fixtures, map: 'org/unwind/map.yml', contracts: 'contracts', targets: ['acme/api#12'], now, json: true }).output);
    expect(json.plan.waves[0].steps[0].pulls[0].mergeCommitSha).toBe(UNKNOWN_WITHOUT_FACTS);
  });

  it('follows _extends with a path into a checkout layout, and says when a target is not at hand', () => {
    const dir = join(tmp, 'checkout');
    mkdirSync(join(dir, 'acme', 'base', 'conf'), { recursive: true });
    mkdirSync(join(dir, 'acme', 'api', '.github'), { recursive: true });
    mkdirSync(join(dir, 'acme', 'web', '.github'), { recursive: true });
    writeFileSync(join(dir, 'acme', 'base', 'conf', 'unwind.yml'), 'owners: ["@acme/base"]\nrevert:\n  merge_method: rebase\n  wait_for: [base-ci]\n');
    writeFileSync(join(dir, 'acme', 'api', '.github', 'unwind.yml'), '_extends: base:conf/unwind.yml\nservice: api\n');
    writeFileSync(join(dir, 'acme', 'web', '.github', 'unwind.yml'), '_extends: acme/elsewhere:conf/unwind.yml\nservice: web\n');
    const r = runPlan({ cwd: tmp, map: join(fixtures, 'org/unwind/map.yml'), contracts: 'checkout', targets: ['acme/api#12', 'acme/web#3'], now });
    expect(r.exitCode).toBe(0);
    expect(r.output).toMatch(/\| 2\.1 \| acme\/api \| api \| #12 [^\n]*\| rebase \| `base-ci` \|/);
    expect(r.output).toContain('checkout:1:1: warning: _extends target acme/elsewhere:conf/unwind.yml is not in the --contracts directory (looked for checkout/acme/elsewhere/conf/unwind.yml)');
  });

  it('reads PR facts from GitHub with --base-url/--token, so Depends-On links expand the plan', async () => {
    const sb = await startTestSandbox();
    try {
      const spec: OrgSpec = { org: 'acme', services: [{ name: 'web', repo: 'acme/web', dependsOn: ['api'] }, { name: 'api', repo: 'acme/api' }] };
      const { tokens } = await seedOrg(sb.driver, spec);
      const [api, web] = await mergeChangeSet(sb.driver, 'acme', [
        { repo: 'acme/api', branch: 'a', title: 'API change', files: { 'src/app.txt': 'api v2\n' } },
        { repo: 'acme/web', branch: 'w', title: 'Web change', files: { 'src/app.txt': 'web v2\n' }, dependsOn: [0] },
      ]);
      writeFileSync(join(tmp, 'map.yml'), renderMap(spec));
      const source = githubSource({ baseUrl: sb.baseUrl, token: tokens.carol }, {});
      const fetched = await fetchPlanFacts({ ...source!, targets: [`acme/api#${api.number}`], mapFile: 'map.yml', cwd: tmp, now: new Date() });
      if ('problem' in fetched) throw new Error(fetched.problem);
      const r = runPlan({ cwd: tmp, map: 'map.yml', targets: [`acme/api#${api.number}`], now: new Date(), fetched });
      expect(r.exitCode).toBe(0);
      expect(r.output).not.toContain('no PR facts');
      expect(r.output).toContain(`| 1.1 | acme/web | web | [#${web.number}](${sb.baseUrl}/acme/web/pull/${web.number}) Web change _(dependent)_ |`);
      expect(r.output).toContain(`| 2.1 | acme/api | api | [#${api.number}](${sb.baseUrl}/acme/api/pull/${api.number}) API change |`);
      const bad = await fetchPlanFacts({ baseUrl: sb.baseUrl, token: 'ghp_nope', targets: ['acme/api#1'], mapFile: 'map.yml', cwd: tmp, now: new Date() });
      expect(bad).toMatchObject({ problem: expect.stringContaining(`cannot read PR facts from ${sb.baseUrl}`) });
      sb.expectNoViolations();
    } finally {
      await sb.discard();
    }
  }, 300_000); // a sandbox, an org, two merged PRs: minutes on a loaded machine

  it('names what is wrong with the GitHub options', () => {
    expect(githubSource({}, { GITHUB_TOKEN: 't' })).toBeNull(); // offline unless asked
    expect(() => githubSource({ baseUrl: 'http://x.test' }, {})).toThrow(/no credentials: set GITHUB_TOKEN \(or pass --token\)/);
    expect(() => githubSource({ links: 'f.json', token: 't' }, {})).toThrow('--links and --base-url/--token both give PR facts: use one');
    expect(() => githubSource({ baseUrl: 'ftp://x', token: 't' }, {})).toThrow('--base-url must be an http(s) URL, got "ftp://x"');
    expect(githubSource({ token: 't' }, { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toEqual({ baseUrl: 'https://ghe.example.com/api/v3', token: 't' });
  });
});
